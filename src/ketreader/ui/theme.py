"""UI room: applying a theme to the application palette and resolving "system"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from ketreader.render.stylesheet import palette


def resolve_theme(choice: str) -> str:
    """Map "system" to light or dark from the platform's colour scheme (Qt 6.5+)."""
    if choice != "system":
        return choice
    scheme = QGuiApplication.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


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
        QPalette.ColorRole.PlaceholderText: QColor(colours["muted"]),
    }
    for role, colour in roles.items():
        result.setColor(role, colour)
    return result


def highlight_colours(theme: str) -> tuple[str, str, str]:
    colours = palette(theme)
    return colours["highlight_bg"], colours["highlight_fg"], colours["current_bg"]
