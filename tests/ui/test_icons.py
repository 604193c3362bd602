"""The SVG icons in assets/icons/: every icon the kiosk asks for exists, loads and reads as a shape.

BigButton renders an icon about one text line high and tints every painted pixel with the text
colour, so only the shape matters: an icon must be neither blank nor a solid block.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[2]
ICON_DIR = ROOT / "assets" / "icons"
SERVICE_DIR = ROOT / "assets" / "services"

# Icons the screens ask for by name, plus common ones kept ready for services and answers.
NAVIGATION_ICONS = (
    "back",
    "next",
    "help",
    "speaker",
    "id-card",
    "keypad",
    "printer",
    "menu",
    "clock",
    "yes",
    "no",
    "hospital",
    "clinic",
    "herb",
    "stethoscope",
    "eye",
    "bone",
    "heart",
    "needle",
    "person",
    "phone",
)

# QtSvg draws SVG Tiny 1.2; the tint keeps only the shape, so plain shapes are all an icon needs.
ALLOWED_ELEMENTS = {
    "svg",
    "title",
    "desc",
    "g",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
}
MIN_STROKE_WIDTH = 5
RENDER_SIDE = 48
MIN_COVERAGE = 0.08
MAX_COVERAGE = 0.70


def _icon_values(node: Any) -> Iterator[str]:
    """Every value of an `icon` key anywhere in a parsed service file."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "icon" and isinstance(value, str) and value:
                yield value
            else:
                yield from _icon_values(value)
    elif isinstance(node, list):
        for item in node:
            yield from _icon_values(item)


def _service_icons() -> dict[str, list[str]]:
    """Icon name -> the service files that use it."""
    used: dict[str, list[str]] = {}
    for path in sorted(SERVICE_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name in _icon_values(data):
            used.setdefault(name, []).append(path.name)
    return used


SVG_FILES = sorted(ICON_DIR.glob("*.svg"))


def _render(path: Path) -> QImage:
    image = QImage(RENDER_SIDE, RENDER_SIDE, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(path)).render(painter, QRectF(0, 0, RENDER_SIDE, RENDER_SIDE))
    painter.end()
    return image


def _coverage(image: QImage) -> float:
    painted = sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).alpha() > 0
    )
    return painted / (image.width() * image.height())


def test_service_files_name_icons() -> None:
    assert _service_icons(), f"no icon: values found in {SERVICE_DIR}"


@pytest.mark.parametrize("name", NAVIGATION_ICONS)
def test_navigation_icon_exists(name: str) -> None:
    assert (ICON_DIR / f"{name}.svg").is_file(), f"missing assets/icons/{name}.svg"


def test_every_service_icon_exists() -> None:
    missing = {
        name: files
        for name, files in _service_icons().items()
        if not (ICON_DIR / f"{name}.svg").is_file()
    }
    assert not missing, f"icons named in assets/services/ without an SVG file: {missing}"


def test_icon_files_found() -> None:
    assert len(SVG_FILES) >= len(NAVIGATION_ICONS)


@pytest.mark.parametrize("path", SVG_FILES, ids=lambda p: p.stem)
def test_icon_loads(qapp, path: Path) -> None:
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid(), f"{path.name} does not load in QtSvg"
    box = renderer.viewBoxF()
    assert (box.width(), box.height()) == (64, 64), f"{path.name} viewBox is not 0 0 64 64"


@pytest.mark.parametrize("path", SVG_FILES, ids=lambda p: p.stem)
def test_icon_uses_plain_bold_shapes(path: Path) -> None:
    """No text, gradients, filters, masks or images, and no strokes thinner than 5 on 64."""
    root = ET.parse(path).getroot()
    assert root.get("viewBox") == "0 0 64 64", f"{path.name} viewBox"
    for element in root.iter():
        tag = element.tag.rpartition("}")[2]
        assert tag in ALLOWED_ELEMENTS, f"{path.name} uses <{tag}>"
        width = element.get("stroke-width")
        if width is not None:
            assert float(width) >= MIN_STROKE_WIDTH, f"{path.name} has a hairline ({width})"


@pytest.mark.parametrize("path", SVG_FILES, ids=lambda p: p.stem)
def test_icon_reads_as_a_shape(qapp, path: Path) -> None:
    share = _coverage(_render(path))
    assert MIN_COVERAGE <= share <= MAX_COVERAGE, (
        f"{path.name} covers {share:.0%} of a {RENDER_SIDE} px square; "
        f"expected {MIN_COVERAGE:.0%}-{MAX_COVERAGE:.0%} (blank or a solid block?)"
    )
