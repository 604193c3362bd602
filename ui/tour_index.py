"""The tour's index page: every picture under a plain heading, grouped by language and part,
one picture a printed page, so a trainer can print the handbook from a browser."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from itertools import groupby
from pathlib import Path

from kiosk.i18n import language

SIZES = {"normal": "normal text", "large": "large text", "largest": "largest text"}
THEMES = {"standard": "standard colours", "high_contrast": "high contrast"}

STYLE = """
body { font-family: sans-serif; margin: 2em; color: #111; }
h1 { font-size: 1.8em; }
h2 { font-size: 1.5em; margin-top: 2em; }
h3 { font-size: 1.2em; margin-top: 1.5em; }
figure { margin: 0 0 2em 0; }
figure img { max-width: 100%; border: 1px solid #888; }
figcaption { color: #444; }
nav li { margin: 0.2em 0; }
@media print {
  body { margin: 0; }
  nav { display: none; }
  h2 { page-break-before: always; break-before: page; }
  figure { page-break-inside: avoid; break-inside: avoid; }
  section.picture { page-break-after: always; break-after: page; }
}
"""


@dataclass(frozen=True)
class Picture:
    path: str  # relative to the index, with forward slashes
    lang: str
    part: str  # which part of the tour: "Every screen", "When something is wrong", ...
    name: str  # service-step, e.g. "pension_check-lives_at_home"
    size: str
    theme: str


def heading(picture: Picture) -> str:
    """"pension_check · lives_at_home" from the screen's name, plainly."""
    return picture.name.replace("-", " · ").replace("_", " ")


def write_index(out: Path, pictures: list[Picture]) -> Path:
    lines = ['<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
             '<title>Kiosk tour: every screen</title>', f'<style>{STYLE}</style>', '</head>',
             '<body>', '<h1>Kiosk tour: every screen</h1>',
             f'<p>{len(pictures)} pictures. Print from the browser: each picture on its own '
             'page, each part on a new page.</p>', '<nav><ul>']
    groups = [(key, list(items)) for key, items in
              groupby(pictures, key=lambda p: (p.lang, p.part))]
    for number, ((lang, part), items) in enumerate(groups):
        lines.append(f'<li><a href="#part-{number}">{escape(language(lang).name)} — '
                     f'{escape(part)}</a> ({len(items)})</li>')
    lines.append('</ul></nav>')
    for number, ((lang, part), items) in enumerate(groups):
        lines.append(f'<h2 id="part-{number}" lang="{escape(lang)}">'
                     f'{escape(language(lang).name)} — {escape(part)}</h2>')
        for picture in items:
            detail = f"{picture.lang}, {SIZES.get(picture.size, picture.size)}, " \
                     f"{THEMES.get(picture.theme, picture.theme)}"
            lines += ['<section class="picture">', f'<h3>{escape(heading(picture))}</h3>',
                      f'<figure><img src="{escape(picture.path)}" '
                      f'alt="{escape(heading(picture))}">',
                      f'<figcaption>{escape(detail)} — {escape(picture.path)}</figcaption>'
                      '</figure>', '</section>']
    lines += ['</body>', '</html>', '']
    index = out / "index.html"
    index.write_text("\n".join(lines), encoding="utf-8")
    return index
