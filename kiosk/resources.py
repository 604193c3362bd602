"""The one way to find the files the kiosk and hub ship: translations (i18n/), service files
and icons (assets/), the hub's API description (docs/api/openapi.yaml).

In a checkout they are top-level folders of the repository. A wheel cannot install top-level
data folders, so the build maps the same folders into the kiosk package as `kiosk/shipped/`
(setup.py's package_dir); `resource("i18n")` names the same folder in both. The checkout wins
when it is there, so a worktree never reads another checkout's files through an editable
install.
"""

from __future__ import annotations

from pathlib import Path

SHIPPED = "shipped"  # the folder inside the kiosk package that a wheel carries the files in
CHECKOUT_MARK = "pyproject.toml"  # what tells a checkout's root from site-packages


def root() -> Path:
    """The folder that holds i18n/, assets/ and docs/: the checkout, or the installed package's
    shipped/ folder (a wheel installs unpacked, so it is a real folder)."""
    package = Path(__file__).parent  # the kiosk package (a wheel installs unpacked)
    checkout = package.parent
    if (checkout / CHECKOUT_MARK).is_file() and (checkout / "i18n").is_dir():
        return checkout
    return package / SHIPPED


def resource(*parts: str) -> Path:
    """A shipped file or folder by its path in the repository: resource("assets", "icons")."""
    return root().joinpath(*parts)


SERVICES_DIR = resource("assets", "services")  # the shipped service files (kiosk.catalogue)
