"""UI room: the look of the window (theme and zoom), every change through the lock checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QApplication

from ketreader.log import get
from ketreader.render.stylesheet import document_css
from ketreader.ui.actions import tint_toolbar
from ketreader.ui.qt_namespace import qt
from ketreader.ui.theme import (
    ViewColours,
    application_palette,
    application_stylesheet,
    resolve_theme,
    set_system_dark,
    view_colours,
)

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

    from ketreader.ui.main_window import MainWindow

_log = get("ui")


class Appearance(QObject):
    """Theme and zoom: applies them to the application, the view, the find bar and toolbar."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.theme_choice = str(window.prefs.value("theme"))

    def stylesheet(self) -> str:
        """The document stylesheet of the theme in force."""
        return document_css(resolve_theme(self.theme_choice))

    def colours(self) -> ViewColours:
        return view_colours(resolve_theme(self.theme_choice))

    def apply_theme(self, choice: str) -> None:
        self.theme_choice = choice
        theme = resolve_theme(choice)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setPalette(application_palette(theme))
            sheet = application_stylesheet(theme)
            if sheet or app.styleSheet():  # setting even an empty one restyles every widget
                app.setStyleSheet(sheet)
        window = self._window
        # Before any document is shown this only records the highlight colours.
        window.view.restyle(document_css(theme), view_colours(theme))
        window.finder.set_colours(view_colours(theme))
        if window.toolbar is not None:
            tint_toolbar(window.toolbar)

    @Slot(str)
    def choose_theme(self, choice: str) -> None:
        if self._window.prefs.change("theme", choice):
            self.apply_theme(choice)

    # WORKAROUND for https://github.com/python/cpython/issues/82840 (ui/qt_namespace.py): the
    # type by its C++ name, so declaring the slot does not build the whole Qt enum namespace.
    @Slot("Qt::ColorScheme")
    def follow_system_scheme(self, scheme: Qt.ColorScheme) -> None:
        set_system_dark(scheme == qt().ColorScheme.Dark)
        if self.theme_choice == "system":
            self.apply_theme("system")

    def set_zoom(self, steps: int) -> None:
        window = self._window
        if window.prefs.change("zoom", window.view.set_zoom(steps)):
            _log.debug("zoom %d", window.view.zoom)
        else:
            window.view.set_zoom(int(window.prefs.value("zoom")))  # locked: stays as it is
        if window.status_line is not None:
            window.status_line.show_zoom(window.view.zoom_percent)

    @Slot(int)
    def zoom_by(self, step: int) -> None:
        self.set_zoom(self._window.view.zoom + step)

    @Slot()
    def zoom_in(self) -> None:
        self.zoom_by(1)

    @Slot()
    def zoom_out(self) -> None:
        self.zoom_by(-1)

    @Slot()
    def zoom_reset(self) -> None:
        self.set_zoom(0)
