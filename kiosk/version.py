"""This kiosk's software version: the installed package's (the heartbeat reports it)."""

from __future__ import annotations

PACKAGE = "assisted-kiosk"


def version() -> str:
    """"" when the code runs from a checkout that was never installed."""
    from importlib import metadata  # email, zipfile...: only when asked (the first heartbeat)

    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return ""
