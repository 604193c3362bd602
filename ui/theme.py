"""Colours, text sizes and the one application stylesheet.

Every text on screen carries a dynamic property `role` naming a (foreground, background) pair
below, so contrast can be checked by a test walking the widgets instead of by eye. Every pair
meets WCAG AAA (7:1) in both themes, including the focused, pressed and disabled looks of
buttons. State is never shown by colour alone: focus and selection thicken the border (and
selection adds a check mark, drawn by the widget); disabled buttons get a dashed border.

Pure Python: this module builds a string and touches no widget.
"""

from __future__ import annotations

from dataclasses import dataclass

# Body text in px for the three sizes every screen offers. Headings are HEADING_SCALE times
# larger. The font (Noto Sans CJK) has a natural line height of about 1.45 em, above the
# LINE_SPACING minimum, so plain-text labels need no extra leading.
TEXT_SIZES = {"normal": 28, "large": 34, "largest": 42}
HEADING_SCALE = 1.4
LINE_SPACING = 1.3
# A label may ask for another size with the dynamic property `scale`.
SCALES = {"body": 1.0, "key": 1.2, "heading": HEADING_SCALE, "display": 2.0}
FONT_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "sans-serif")

# Button box model. A button at rest has a thin border inside a margin; focus and selection
# swap the margin for a border twice as thick, so the ring grows outward without moving the
# content. Widgets lay their content out inside FRAME + PADDING_*.
BORDER = 3
FRAME = 6  # BORDER + margin at rest == thick border with no margin
PADDING_H = 20
PADDING_V = 10
RADIUS = 16
GAP = 16  # minimum gap between touch targets
MIN_TARGET = 64

ROLES = (
    "page", "body", "heading", "hint", "topbar", "primary", "secondary", "option",
    "option_selected", "key", "error", "banner", "ok", "reference",
    "focus", "disabled",
)  # fmt: skip
# Roles drawn as buttons (BigButton): a label inside one uses the button's role.
BUTTON_ROLES = ("primary", "secondary", "option", "option_selected", "key")


@dataclass(frozen=True)
class Theme:
    """A name and its colour pairs. `focus` and `disabled` are the looks buttons take in those
    states. The non-text colours (held to 3:1 against the page, and in fact far above):
    `edge` for resting borders, `mark` for the border of a selected tile, `ring` for the thick
    keyboard-focus border."""

    name: str
    roles: dict[str, tuple[str, str]]
    edge: str = "#1B1B1B"
    mark: str = "#0B3D91"
    ring: str = "#0B0C0C"


STANDARD = Theme(
    name="standard",
    roles={
        "page": ("#1B1B1B", "#FBF7EF"),
        "body": ("#1B1B1B", "#FBF7EF"),
        "heading": ("#0A2A66", "#FBF7EF"),
        "hint": ("#3D3D3D", "#FBF7EF"),
        "topbar": ("#FFFFFF", "#1F3A5F"),
        "primary": ("#FFFFFF", "#0B3D91"),
        "secondary": ("#0A2A66", "#E3EAF5"),
        "option": ("#1B1B1B", "#FFFFFF"),
        "option_selected": ("#0A2A66", "#D6E6FF"),
        "key": ("#1B1B1B", "#FFFFFF"),
        "error": ("#8A0000", "#FDECEC"),
        "banner": ("#1B1B1B", "#FFE58A"),
        "ok": ("#0A4F1A", "#E7F4EA"),
        "reference": ("#1B1B1B", "#FFFFFF"),
        "focus": ("#0B0C0C", "#FFDD00"),
        "disabled": ("#404040", "#E6E3DC"),
    },
    edge="#1B1B1B",
    mark="#0B3D91",
    ring="#0B0C0C",
)

HIGH_CONTRAST = Theme(
    name="high_contrast",
    roles={
        "page": ("#FFFFFF", "#000000"),
        "body": ("#FFFFFF", "#000000"),
        "heading": ("#FFFF00", "#000000"),
        "hint": ("#E0E0E0", "#000000"),
        "topbar": ("#FFFF00", "#1A1A1A"),
        "primary": ("#000000", "#FFFF00"),
        "secondary": ("#FFFFFF", "#000000"),
        "option": ("#FFFFFF", "#000000"),
        "option_selected": ("#000000", "#FFFFFF"),
        "key": ("#FFFFFF", "#1A1A1A"),
        "error": ("#FF8A8A", "#000000"),
        "banner": ("#000000", "#FFD500"),
        "ok": ("#7CFF7C", "#000000"),
        "reference": ("#FFFF00", "#000000"),
        "focus": ("#000000", "#00FFFF"),
        "disabled": ("#C8C8C8", "#000000"),
    },
    edge="#FFFFFF",
    mark="#FFFF00",
    ring="#FFFFFF",
)

THEMES: dict[str, Theme] = {t.name: t for t in (STANDARD, HIGH_CONTRAST)}


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(ch * 2 for ch in h)
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast_ratio(fg_hex: str, bg_hex: str) -> float:
    """WCAG 2.x contrast ratio, 1.0 to 21.0 (order of the two colours does not matter)."""
    lighter, darker = sorted((relative_luminance(fg_hex), relative_luminance(bg_hex)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_px(size: str, scale: str = "body") -> int:
    return round(TEXT_SIZES[size] * SCALES[scale])


def stylesheet(theme: Theme, size: str) -> str:
    """One QSS for the whole application at one text size."""
    r = theme.roles
    body = text_px(size)
    family = ", ".join(f'"{f}"' if " " in f else f for f in FONT_FAMILIES)
    page_fg, page_bg = r["page"]
    focus_fg, focus_bg = r["focus"]
    dis_fg, dis_bg = r["disabled"]
    out: list[str] = [
        f"* {{ font-family: {family}; font-size: {body}px; }}",
        f"QWidget {{ color: {page_fg}; }}",
        f'QWidget[role="page"] {{ background-color: {page_bg}; }}',
    ]
    # Any widget with a role gets the role's pair; type-specific rules below refine it.
    for role, (fg, bg) in r.items():
        out.append(f'*[role="{role}"] {{ color: {fg}; background-color: {bg}; }}')

    out += [
        f'QLabel[role="heading"] {{ font-size: {text_px(size, "heading")}px; font-weight: 700; }}',
        f'QLabel[role="reference"] {{ font-size: {text_px(size, "display")}px; font-weight: 700;'
        f" border: {BORDER}px solid {theme.edge}; border-radius: {RADIUS}px; padding: 8px 24px; }}",
        f'QLabel[role="error"] {{ border-left: 12px solid {r["error"][0]}; padding: 12px 20px; }}',
        f'QLabel[role="banner"] {{ border: {BORDER}px solid {theme.edge}; padding: 12px 20px; }}',
        f'QLabel[role="ok"] {{ border-left: 12px solid {r["ok"][0]}; padding: 12px 20px; }}',
        'QLabel[role="topbar"] { padding: 8px 16px; font-weight: 700; }',
    ]
    # `scale` overrides a label's size; `box` draws a frame round a value display.
    for scale in SCALES:
        out.append(f'QLabel[scale="{scale}"] {{ font-size: {text_px(size, scale)}px; }}')
    out.append(
        f'QLabel[box="true"] {{ border: {BORDER}px solid {theme.edge}; border-radius: 12px;'
        f" margin: {FRAME - BORDER}px; padding: 4px 16px; font-weight: 700; }}"
    )

    for role in BUTTON_ROLES:
        fg, bg = r[role]
        sel = f'QPushButton[role="{role}"]'
        lab = f'QLabel[role="{role}"]'
        out += [
            f"{sel} {{ color: {fg}; background-color: {bg}; border: {BORDER}px solid {theme.edge};"
            f" margin: {FRAME - BORDER}px; border-radius: {RADIUS}px; padding: 0px; }}",
            f'{sel}[selected="true"] {{ border: {FRAME}px solid {theme.mark}; margin: 0px; }}',
            # Keyboard focus: thick ring AND the focus colours (BigButton sets `focusring`).
            f'{sel}[focusring="true"] {{ background-color: {focus_bg};'
            f" border: {FRAME}px solid {theme.ring}; margin: 0px; }}",
            f"{sel}:pressed {{ background-color: {fg}; }}",
            f"{sel}:disabled {{ background-color: {dis_bg}; border: {BORDER}px dashed {dis_fg};"
            f" margin: {FRAME - BORDER}px; }}",
            # The label inside mirrors the button's state through its `state` property.
            f"{lab} {{ color: {fg}; background-color: transparent; font-weight: 700; }}",
            f'{lab}[state="focus"] {{ color: {focus_fg}; }}',
            f'{lab}[state="pressed"] {{ color: {bg}; }}',
            f'{lab}[state="disabled"] {{ color: {dis_fg}; }}',
        ]

    fg, bg = r["body"]
    out += [
        f'QLineEdit[role="body"] {{ color: {fg}; background-color: {bg};'
        f" border: {BORDER}px solid {theme.edge}; margin: {FRAME - BORDER}px;"
        f" border-radius: 12px; padding: 8px 16px; font-size: {text_px(size, 'heading')}px;"
        f" selection-color: {focus_fg}; selection-background-color: {focus_bg}; }}",
        f'QLineEdit[role="body"]:focus {{ border: {FRAME}px solid {theme.ring}; margin: 0px; }}',
        f'QLineEdit[role="body"]:disabled {{ color: {dis_fg}; background-color: {dis_bg};'
        f" border: {BORDER}px dashed {dis_fg}; }}",
        f"QScrollBar:vertical {{ width: 40px; background: {page_bg}; }}",
        f"QScrollBar::handle:vertical {{ background: {theme.edge}; min-height: 64px;"
        " border-radius: 8px; }",
    ]
    return "\n".join(out) + "\n"
