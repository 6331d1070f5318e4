"""UI room: what the window gives assistive technology beyond Qt's own, wired after first paint."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ketreader.ui.main_window import MainWindow


def attach_now(window: MainWindow) -> None:
    """The reader's own accessible interfaces, names for unnamed controls, search told.

    Called on the turn of the event loop after the first paint (MainWindow._after_first_paint):
    the paint's pixels are on screen by then, and this takes about 10 ms.
    """
    from ketreader.ui.a11y import factory
    from ketreader.ui.a11y.names import name_controls
    from ketreader.ui.a11y.search_access import SearchAnnouncer

    factory.install(window)
    name_controls(window)
    SearchAnnouncer(window)
