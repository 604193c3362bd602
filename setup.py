"""The wheel's layout (the project's metadata is in pyproject.toml).

i18n/, assets/ and docs/api/ stay top-level folders of the repository; the wheel carries them
inside the kiosk package as kiosk/shipped/, where kiosk/resources.py finds them.
"""

from setuptools import find_namespace_packages, setup

SHIPPED = {  # package in the wheel -> folder in the repository
    "kiosk.shipped.i18n": "i18n",
    "kiosk.shipped.assets": "assets",
    "kiosk.shipped.docs.api": "docs/api",
}

setup(
    packages=find_namespace_packages(include=["kiosk", "kiosk.*", "ui", "ui.*", "hub", "hub.*"],
                                     exclude=["*.__pycache__"]) + list(SHIPPED),
    package_dir=SHIPPED,
    package_data={
        **{name: ["**/*"] for name in SHIPPED},
        "hub.migrations": ["script.py.mako"],  # alembic's template for a new revision
        "hub.static": ["*.js", "*.css"],  # the regional desk page's scripts
    },
    exclude_package_data={"": ["__pycache__/*", "*.pyc"]},
)
