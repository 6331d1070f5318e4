"""Render room: theme palettes and the document stylesheet filled from them; no Qt."""

from __future__ import annotations

import re
from string import Template
from typing import Literal, get_args

from ketreader.resources import resource_path

ThemeName = Literal["light", "dark", "high-contrast"]
THEMES: tuple[str, ...] = get_args(ThemeName)

# Contrast of body text on background: light 15.9:1, dark 13.4:1, high contrast 21:1.
# Placeholders stay readable (at least 4.5:1; 8:1 in high contrast) yet unlike typed text.
PALETTES: dict[str, dict[str, str]] = {
    "light": {
        "fg": "#1d1d1f", "bg": "#ffffff", "heading": "#12355b", "link": "#0b57a4",
        "muted": "#4a4a4f", "code_bg": "#f1f3f5", "rule": "#b8bec6", "note_bg": "#fff4d6",
        "note_fg": "#3b2a00", "note_rule": "#b7791f", "highlight_bg": "#ffe066",
        "highlight_fg": "#000000", "current_bg": "#ff9f1c", "placeholder": "#6b6b70",
        "disabled_fg": "#9a9ea6",
    },
    "dark": {
        "fg": "#e6e6e6", "bg": "#1e1f22", "heading": "#9ecbff", "link": "#8ab4f8",
        "muted": "#b5b5b5", "code_bg": "#2b2d31", "rule": "#5a5f66", "note_bg": "#3a3020",
        "note_fg": "#ffe7a8", "note_rule": "#e0a84f", "highlight_bg": "#7a5c00",
        "highlight_fg": "#ffffff", "current_bg": "#c05f00", "placeholder": "#9a9a9a",
        "disabled_fg": "#74777d",
    },
    "high-contrast": {
        "fg": "#ffffff", "bg": "#000000", "heading": "#ffff00", "link": "#00ffff",
        "muted": "#ffffff", "code_bg": "#1a1a1a", "rule": "#ffffff", "note_bg": "#000000",
        "note_fg": "#ffff00", "note_rule": "#ffff00", "highlight_bg": "#ffff00",
        "highlight_fg": "#000000", "current_bg": "#00ff00", "placeholder": "#a6a6a6",
        "disabled_fg": "#3ff23f",
    },
}  # fmt: skip

# The reader's type in a browser: the platform's interface sans serif, as the reader uses,
# a column of about 68 characters (an average character of sans-serif prose is about half
# an em), and headings set tighter than body text.
_EXPORT_RULES = """\
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans",
       "Helvetica Neue", Arial, sans-serif; max-width: 34em; margin: 2em auto; padding: 0 1em; }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; }
.safety-note { border-left-width: 4px; }
nav.toc { border-bottom: 1px solid $rule; margin-bottom: 2em; padding-bottom: 1em; }
nav.toc ul { list-style: none; margin-left: 0; padding-left: 0; }
nav.toc ul ul { padding-left: 1.2em; }
nav.toc li { margin: 0.15em 0; }
"""

_COMMENT = re.compile(r"/\*.*?\*/\s*", re.DOTALL)


def palette(theme: str) -> dict[str, str]:
    return PALETTES.get(theme, PALETTES["light"])


def document_css(theme: str = "light") -> str:
    """The document stylesheet with the theme's colours filled in, without its comments."""
    text = resource_path("styles", "document.css").read_text(encoding="utf-8")
    return Template(_COMMENT.sub("", text)).substitute(palette(theme))


def export_css(theme: str = "light") -> str:
    """The stylesheet of a standalone HTML export: the document's, with the reader's type."""
    return document_css(theme) + Template(_EXPORT_RULES).substitute(palette(theme))
