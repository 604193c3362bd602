"""This kiosk's software version: the installed package's (the heartbeat reports it)."""

from __future__ import annotations

from importlib import metadata

PACKAGE = "assisted-kiosk"


def version() -> str:
    """"" when the code runs from a checkout that was never installed."""
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return ""
