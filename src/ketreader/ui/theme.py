"""UI room: applying a theme to the application palette and resolving "system"."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtGui import QColor, QGuiApplication, QPalette

from ketreader.render.stylesheet import palette

_platform_palette: QPalette | None = None
_system_dark: bool | None = None  # set from colorSchemeChanged once the scheme changes live


def set_system_dark(dark: bool | None) -> None:
    global _system_dark
    _system_dark = dark


def remember_platform_palette() -> None:
    """Keep the platform's own palette before a theme replaces the application's."""
    global _platform_palette
    if _platform_palette is None:
        _platform_palette = QGuiApplication.palette()


def resolve_theme(choice: str) -> str:
    """Map "system" to light or dark from the platform's palette.

    The palette follows the system scheme (Qt 6.5+ platform themes set it from the colour
    scheme) and, unlike styleHints().colorScheme(), reading it does not build the whole
    ``Qt`` enum namespace before the first paint.
    """
    if choice != "system":
        return choice
    if _system_dark is not None:
        return "dark" if _system_dark else "light"
    base = _platform_palette or QGuiApplication.palette()
    return "dark" if base.color(QPalette.ColorRole.Window).lightness() < 128 else "light"


def application_palette(theme: str) -> QPalette:
    colours = palette(theme)
    result = QPalette()
    window = QColor(colours["bg"]).lighter(115) if theme == "dark" else QColor(colours["bg"])
    if theme == "light":
        window = QColor("#f3f4f6")
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: QColor(colours["fg"]),
        QPalette.ColorRole.Base: QColor(colours["bg"]),
        QPalette.ColorRole.AlternateBase: QColor(colours["code_bg"]),
        QPalette.ColorRole.Text: QColor(colours["fg"]),
        QPalette.ColorRole.Button: window,
        QPalette.ColorRole.ButtonText: QColor(colours["fg"]),
        QPalette.ColorRole.Highlight: QColor(colours["link"]),
        QPalette.ColorRole.HighlightedText: QColor(colours["bg"]),
        QPalette.ColorRole.Link: QColor(colours["link"]),
        QPalette.ColorRole.ToolTipBase: QColor(colours["bg"]),
        QPalette.ColorRole.ToolTipText: QColor(colours["fg"]),
        QPalette.ColorRole.PlaceholderText: QColor(colours["placeholder"]),
    }
    for role, colour in roles.items():
        result.setColor(role, colour)
    # A disabled action (one the policy locks, say) must look disabled, not merely do nothing:
    # its text takes a colour apart from the enabled text's. High contrast uses green, as
    # Windows' own high-contrast black theme does for disabled text.
    disabled = QColor(colours["disabled_fg"])
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        result.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return result


# Fusion draws frames, field borders and scroll bar handles in shades of the window colour,
# which on black are black. High contrast draws them in the text colour instead.
_HIGH_CONTRAST_WIDGETS = """
QLineEdit { border: 2px solid $fg; border-radius: 2px; padding: 2px 4px; }
QLineEdit:focus { border-color: $heading; }
QTextBrowser, QTreeView, QListView { border: 1px solid $fg; }
QScrollBar:vertical { background: $bg; width: 16px; border-left: 1px solid $fg; }
QScrollBar:horizontal { background: $bg; height: 16px; border-top: 1px solid $fg; }
QScrollBar::handle { background: $fg; border: 3px solid $bg; border-radius: 7px; }
QScrollBar::handle:vertical { min-height: 32px; }
QScrollBar::handle:horizontal { min-width: 32px; }
QScrollBar::handle:hover { background: $heading; }
QScrollBar::add-line, QScrollBar::sub-line { width: 0; height: 0; border: none; }
QScrollBar::add-page, QScrollBar::sub-page { background: none; }
"""


def application_stylesheet(theme: str) -> str:
    """Widget rules the palette cannot express; empty except in high contrast."""
    if theme != "high-contrast":
        return ""
    from string import Template

    return Template(_HIGH_CONTRAST_WIDGETS).substitute(palette(theme))


class ViewColours(NamedTuple):
    """The colours the reader paints itself, beyond what the document stylesheet sets."""

    highlight_bg: str
    highlight_fg: str
    current_bg: str
    note_bg: str
    note_rule: str


def view_colours(theme: str) -> ViewColours:
    c = palette(theme)
    return ViewColours(
        c["highlight_bg"], c["highlight_fg"], c["current_bg"], c["note_bg"], c["note_rule"]
    )
