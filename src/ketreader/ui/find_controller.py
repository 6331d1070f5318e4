"""UI room: find in page (Ctrl+F), and F3 shared between the find bar and search matches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from ketreader.ui.qt_namespace import qt

if TYPE_CHECKING:
    from ketreader.ui.find_bar import FindBar
    from ketreader.ui.main_window import MainWindow
    from ketreader.ui.theme import ViewColours


class FindController(QObject):
    """Owns the find bar, built on first use; F3 steps through whichever matches are active."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._bar: FindBar | None = None

    @property
    def bar(self) -> FindBar:
        if self._bar is None:
            from ketreader.ui.find_bar import FindBar

            window = self._window
            self._bar = FindBar(window.view, window)
            self._bar.set_colours(window.appearance.colours())
            window.addToolBar(qt().ToolBarArea.BottomToolBarArea, self._bar)
            self._bar.wrapped.connect(self._wrapped)
            window.view.escape_pressed.connect(self._bar.close_bar)
        return self._bar

    @property
    def built(self) -> bool:
        return self._bar is not None

    def set_colours(self, colours: ViewColours) -> None:
        if self._bar is not None:
            self._bar.set_colours(colours)

    def close(self) -> None:
        """A new pack: nothing found in the old one still shows."""
        if self._bar is not None:
            self._bar.close_bar()

    def reset(self) -> None:
        """A new document in the view: the old matches are gone."""
        if self._bar is not None:
            self._bar.reset()

    @Slot()
    def find_in_page(self) -> None:
        self.bar.open_bar()

    @Slot()
    def find_next(self) -> None:
        if self._bar is not None and self._bar.active:
            self._bar.step(1)
        else:
            self._window.search.next_match()

    @Slot()
    def find_previous(self) -> None:
        if self._bar is not None and self._bar.active:
            self._bar.step(-1)
        else:
            self._window.search.previous_match()

    @Slot(str)
    def _wrapped(self, where: str) -> None:
        self._window.statusBar().showMessage(f"Find wrapped to the {where}", 4000)
