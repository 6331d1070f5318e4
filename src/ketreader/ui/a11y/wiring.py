"""UI room: what the window gives assistive technology beyond Qt's own, wired after first paint."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ketreader.ui.main_window import MainWindow


def attach(window: MainWindow) -> None:
    """Right after the first paint has reached the screen, wire the rest (about 10 ms)."""
    from PySide6.QtCore import QTimer

    # The window's first-paint handler runs inside the paint, before its pixels are shown.
    QTimer.singleShot(0, window, lambda: attach_now(window))


def attach_now(window: MainWindow) -> None:
    """The reader's own accessible interfaces, names for unnamed controls, search told."""
    from ketreader.ui.a11y import factory
    from ketreader.ui.a11y.names import name_controls
    from ketreader.ui.a11y.search_access import SearchAnnouncer

    factory.install(window)
    name_controls(window)
    SearchAnnouncer(window)
