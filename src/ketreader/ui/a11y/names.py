"""UI room: names for the controls Qt leaves unnamed (status bar, splitter handles, buttons)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QLineEdit,
    QMainWindow,
    QSizeGrip,
    QSplitter,
    QStatusBar,
    QToolButton,
)


def name_controls(window: QMainWindow) -> None:
    """Every control a screen reader can reach gets a name that says what it is for."""
    status = window.findChild(QStatusBar)
    if status is not None:
        status.setAccessibleName("Status")
        # The status bar paints its message itself: expose it as the bar's description.
        status.messageChanged.connect(lambda message: status.setAccessibleDescription(message))
        for grip in status.findChildren(QSizeGrip):
            grip.setAccessibleName("Resize window")
    for splitter in window.findChildren(QSplitter):
        # Handle 0 is never shown, but Qt still lists it: it gets the name as well.
        for index in range(splitter.count()):
            splitter.handle(index).setAccessibleName("Resize the sidebar")
    for button in window.findChildren(QToolButton):
        if button.objectName() == "qt_toolbar_ext_button":
            button.setAccessibleName("More toolbar items")
        elif isinstance(button.parent(), QLineEdit):  # the search field's clear button
            button.setAccessibleName("Clear search")
