"""The tour as a trainer runs it: `main.py tour` in its own process, a small part of it, then
its index page read back (it names every picture written, each of which exists) and opened in
a real browser (headless Chromium), which must draw the pictures, not broken-image boxes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("zh_CN", "en")
# "screens" is what the accessibility walks see; "looks" (contrast, captions) takes as long
# again, and was looked at by eye
PARTS = ("branches", "errors", "admin")
# what these parts must show in each language: the error states, the PIN and admin tabs
EXPECTED = {"error-id-number", "error-code", "error-empty-utility", "error-empty-account",
            "admin-pin", "admin-pin-wrong", "admin-settings", "admin-queue", "admin-usage",
            "admin-diagnostics"}


class Index(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.headings: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs)["src"])
        if tag in ("h2", "h3"):
            self._in = tag
            self.headings.append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in:
            self.headings[-1] += data


@pytest.fixture(scope="module")
def tour(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tour")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "main.py", "tour", "--out", str(out)]
    for part in PARTS:
        args += ["--part", part]
    for lang in LANGS:
        args += ["--lang", lang]
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return out


def test_the_index_names_every_picture_written(tour):
    written = {p.relative_to(tour).as_posix() for p in tour.rglob("*.png")}
    page = Index()
    page.feed((tour / "index.html").read_text(encoding="utf-8"))
    assert sorted(page.images) == sorted(written)  # each once, none missing, none extra
    assert all((tour / src).is_file() for src in page.images)
    for lang in LANGS:
        names = {Path(p).stem.split("-", 1)[1] for p in written if p.startswith(f"{lang}/")}
        assert names >= EXPECTED, lang
        # both sides of each condition: the page a branch adds is there on its side only
        assert "branch-lives_at_home-false-pension_check-living_where" in names
        assert "branch-lives_at_home-true-pension_check-living_where" not in names
        assert "branch-lives_alone-true-senior_allowance-emergency_phone" in names
        assert "branch-lives_alone-false-senior_allowance-emergency_phone" not in names
    # plain headings a trainer can find: a part per language, a heading per picture
    assert "中文 — When something is wrong" in page.headings
    assert "English — The admin PIN and screens" in page.headings
    assert "admin · pin · wrong" in page.headings
    assert "error · empty · account" in page.headings


def browser() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("chromium is missing: ./kiosk.sh setup installs it (SYSTEM_PACKAGES)")
    return found


def test_the_index_opens_in_a_browser_with_its_pictures(tour, tmp_path):
    """Headless Chromium draws the page: the kiosk's dark-blue header bar, from the first
    picture, fills a good part of the screenshot, which a broken image would not."""
    shot = tmp_path / "index.png"
    done = subprocess.run(
        [browser(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1000,1400",
         f"--screenshot={shot}", (tour / "index.html").as_uri()],
        capture_output=True, text=True, timeout=90)
    assert shot.is_file(), done.stderr[-2000:]
    page = QImage(str(shot))
    first = sorted((tour / "zh_CN").glob("001-*.png"))[0]
    first = QImage(str(first))
    header = QColor(first.pixel(5, 5))
    assert header.blue() > header.red() + 40  # the header's blue: not the page's black text

    def near(x: int, y: int) -> bool:
        c = QColor(page.pixel(x, y))
        return max(abs(c.red() - header.red()), abs(c.green() - header.green()),
                   abs(c.blue() - header.blue())) <= 12

    matching = sum(near(x, y) for x in range(0, page.width(), 4)
                   for y in range(0, page.height(), 4))
    assert matching > 2000, f"only {matching} sampled pixels of the picture's header colour"


def test_the_index_prints_one_picture_a_page(tour, tmp_path):
    """The handbook as a trainer prints it from the browser: a title page, then each picture
    on a page of its own (the print styles' page breaks)."""
    pdf = tmp_path / "handbook.pdf"
    done = subprocess.run(
        [browser(), "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}",
         (tour / "index.html").as_uri()],
        capture_output=True, text=True, timeout=90)
    assert pdf.is_file(), done.stderr[-2000:]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(next(line.split()[1] for line in info.stdout.splitlines()
                     if line.startswith("Pages:")))
    assert pages == len(list(tour.rglob("*.png"))) + 1
