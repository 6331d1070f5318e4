"""UI room: the main window, which lays out the widgets and wires them to the controllers."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QTimer, QUrl, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QStackedWidget, QToolBar

from ketreader.library import Library
from ketreader.log import get
from ketreader.navigator import Navigator
from ketreader.preferences import Preferences
from ketreader.qt_state import valid_geometry, valid_splitter_state
from ketreader.ui.actions import MENUS, build_actions
from ketreader.ui.appearance import Appearance
from ketreader.ui.export_controller import ExportController
from ketreader.ui.find_controller import FindController
from ketreader.ui.qt_namespace import qt
from ketreader.ui.reader_view import ReaderView
from ketreader.ui.search_controller import SearchController
from ketreader.ui.sidebar import Sidebar
from ketreader.ui.theme import remember_platform_palette

# Qt classes used only after the first paint are imported where they are used: each one's
# first import costs PySide6 type set-up time that the first paint does not need.
if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QCloseEvent, QMouseEvent
    from PySide6.QtWidgets import QMenu

    from ketreader.ui.pack_opener import PackOpener
    from ketreader.ui.status_line import StatusLine

_log = get("ui")
POSITION_SAVE_DELAY_MS = 1500  # a section change is written once reading settles there
# Up to this many sections the sidebar is filled before the first paint; a bigger outline
# (building it costs about 4 ms per 1,000 sections) is filled right after it.
OUTLINE_BEFORE_PAINT = 2000


SIDEBAR_WIDTH = 320  # pixels, for a new window and a sidebar brought back from nothing


class MainWindow(QMainWindow):
    """Sidebar and results on the left, the reader on the right, search on top."""

    def __init__(self, library: Library, prefs: Preferences, start: str | None = None) -> None:
        super().__init__()
        self.prefs = prefs
        self.library = library
        self.navigator = Navigator(library.sections, lambda i: library.document(i).marks)
        self._document_index = -1
        self._section_numbers: dict[str, int] | None = None  # built when first shown
        self._session_ending = False
        self._kiosk_restored_at = -1.0  # time.monotonic() of the last time a kiosk came back
        self.toolbar: QToolBar | None = None  # built right after the first paint
        self.status_line: StatusLine | None = None  # likewise
        self._packs: PackOpener | None = None  # likewise
        self._outline_pending = False

        self.sidebar = Sidebar(self)
        self.left = QStackedWidget(self)
        self.left.setObjectName("left-pane")
        self.left.addWidget(self.sidebar)
        self.view = ReaderView(self)
        # WORKAROUND for https://github.com/python/cpython/issues/82840 (see ui/qt_namespace.py):
        # no parent argument, since QSplitter(parent) is resolved against QSplitter(Qt.Orientation,
        # ...), which builds the whole Qt enum namespace. Horizontal by default.
        self.splitter = QSplitter()
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(self.view)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([SIDEBAR_WIDTH, 780])
        self.setCentralWidget(self.splitter)
        self._search_toolbar = QToolBar("Search", self)
        self._search_toolbar.setObjectName("search-toolbar")
        self._search_toolbar.setMovable(False)
        self.addToolBar(self._search_toolbar)
        self.search = SearchController(
            self, self._search_toolbar, self.left, self.sidebar, self.view, self.open_section
        )
        self.exports = ExportController(self, prefs, lambda: self.library, self.current_section_id)
        self.appearance = Appearance(self)
        self.finder = FindController(self)
        self.actions_by_name: dict[str, QAction] = {}
        bar = self.menuBar()
        self._menus: dict[str, QMenu] = {name: bar.addMenu(name) for name in MENUS}
        self._position_timer = QTimer(self)
        self._position_timer.setSingleShot(True)
        self._position_timer.setInterval(POSITION_SAVE_DELAY_MS)
        self._connect_signals()
        self.setTabOrder(self.sidebar, self.search.bar)
        self.setTabOrder(self.search.bar, self.view)

        self.appearance.apply_theme(self.appearance.theme_choice)
        self.view.set_zoom(int(prefs.value("zoom")))
        if not prefs.flag("sidebar_visible"):
            self.left.hide()
        # Once, at ``start``: building the outline of a big pack twice would double its cost.
        self.start_found = self.set_library(library, start)

    def _connect_signals(self) -> None:
        # Start-up: whatever the first paint does not need is built right after it.
        self.view.first_paint.connect(self._first_painted)
        # Navigation: the sidebar and links land in open_section; search does too.
        self.sidebar.section_activated.connect(self.open_section)
        self.view.internal_link.connect(self.open_section)
        # Scroll-spy: the view reports the section at its top; the sidebar follows quietly,
        # and the reading position is saved once reading settles.
        self.view.section_in_view.connect(self.sidebar.show_section)
        self.view.section_in_view.connect(self._section_changed)
        self._position_timer.timeout.connect(self.save_position)
        # Links: external ones are shown, and opened only on request and where allowed.
        self.view.highlighted.connect(self.show_link_target)
        self.view.external_link.connect(self.confirm_external_link)
        # Settings the reader asks to change: the preferences check each lock.
        self.view.zoom_requested.connect(self.appearance.zoom_by)
        QGuiApplication.styleHints().colorSchemeChanged.connect(
            self.appearance.follow_system_scheme
        )
        remember_platform_palette()

    @Slot()
    def _first_painted(self) -> None:
        # The paint event is still running: the frame reaches the screen only after it
        # returns, so the work waits for the next turn of the event loop.
        QTimer.singleShot(0, self._after_first_paint)

    @Slot()
    def _after_first_paint(self) -> None:
        if self._outline_pending:
            self._outline_pending = False
            self.sidebar.set_sections(self.library.sections)
            here = self.current_section_id()
            if here:
                self.sidebar.show_section(here)
        # Menus' contents and shortcuts are not needed to paint: about a third of the
        # window's construction time moves here, a few milliseconds after the first paint.
        self.build_actions()
        from ketreader.ui.status_line import StatusLine

        self.status_line = StatusLine(self.statusBar())  # 4.5 ms: not needed to paint
        self.statusBar().show()  # a child added to a shown window stays hidden until shown
        self._show_position(self.current_section_id())
        self.status_line.show_zoom(self.view.zoom_percent)
        from PySide6.QtGui import QIcon

        from ketreader.resources import resource_path

        icon = QIcon()
        for size in (16, 32, 48, 64, 128, 256):
            icon.addFile(str(resource_path("icons", f"ketreader-{size}.png")))
        self.setWindowIcon(icon)
        from ketreader.ui.a11y.wiring import attach_now  # accessibility (issue 15)

        attach_now(self)
        from PySide6.QtGui import QAccessible

        if QAccessible.isActive():  # a screen reader is listening: it reads by the caret
            self.set_caret_browsing(True)
        _log.debug("ready")

    def build_actions(self) -> dict[str, QAction]:
        """Every action the policy allows, by name; built once, right after the first paint."""
        if self.actions_by_name:
            return self.actions_by_name
        from PySide6.QtGui import QActionGroup

        for menu in self._menus.values():
            menu.setToolTipsVisible(True)
        self.toolbar = QToolBar("Toolbar", self)
        self.toolbar.setObjectName("main-toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(qt().ToolButtonStyle.ToolButtonTextBesideIcon)
        # Beside the search field, in the row it already has: the text does not move down.
        self.insertToolBar(self._search_toolbar, self.toolbar)
        from ketreader.ui.read_aloud_control import ReadAloudControl  # read aloud (issue 15)

        self.read_aloud = ReadAloudControl(self, self.view)
        self.actions_by_name = build_actions(self, self.prefs, self._menus, self.toolbar)
        self.read_aloud.attach(self.actions_by_name)  # read aloud (issue 15)
        for menu in self._menus.values():
            # A menu the policy left empty (File in a kiosk without print or export) would
            # look usable and open nothing.
            menu.menuAction().setVisible(not menu.isEmpty())
        # A kiosk always shows its reduced toolbar: there is no menu entry to bring it back.
        self.toolbar.setVisible(self.prefs.kiosk or self.prefs.flag("toolbar_visible"))
        themes = QActionGroup(self)
        for name, action in self.actions_by_name.items():
            if name.startswith("theme-"):
                themes.addAction(action)
                action.setChecked(name == f"theme-{self.appearance.theme_choice}")
        if "toggle-sidebar" in self.actions_by_name:
            self.actions_by_name["toggle-sidebar"].setChecked(self.prefs.flag("sidebar_visible"))
        if "toggle-toolbar" in self.actions_by_name:
            self.actions_by_name["toggle-toolbar"].setChecked(self.toolbar.isVisibleTo(self))
        self._update_history_actions()
        return self.actions_by_name

    # -- the pack and where we are in it ---------------------------------------------------

    def set_library(self, library: Library, start: str | None = None) -> bool:
        """Show ``library`` at ``start`` (else its beginning); False if ``start`` is not in it.

        Start-up and File > Open Pack both come through here: history, search and the view
        all begin again with the new pack.
        """
        self.library = library
        self.navigator = Navigator(library.sections, lambda i: library.document(i).marks)
        self._document_index = -1
        self._section_numbers = None
        self.search.reset(library)
        self.finder.close()
        if self.status_line is not None:
            self.statusBar().clearMessage()  # nothing said about the last pack still holds
        self.setWindowTitle(f"{library.title} — ketreader")
        if self.view.painted or len(library.sections) <= OUTLINE_BEFORE_PAINT:
            self.sidebar.set_sections(library.sections)
            self._outline_pending = False
        else:  # a big pack: its text paints first, its outline a moment after
            self._outline_pending = True
        if start is not None and self.open_section(start):
            return True
        self.open_section(self.navigator.home)
        return start is None

    @Slot(str)
    def open_section(self, link: str, record: bool = True) -> bool:
        """Show a section by id or ``ketreader://section/ID`` link; False if there is none."""
        place = self.navigator.place(link)
        if place is None:
            self.statusBar().showMessage(f"Section not found: {link}", 8000)
            _log.info("section not found: %s", link)
            return False
        if record:
            self.navigator.remember(self.current_section_id())
        if place.document != self._document_index:
            self._document_index = place.document
            document = self.library.document(place.document)
            self.view.show_document(
                document,
                self.library.document_html(place.document),
                self.library.resource,
                self.appearance.stylesheet(),
            )
            self.finder.reset()
            if document.simplified:
                # Content that could have frozen the reader was shortened or flattened:
                # the reader says so, rather than show it differently without a word.
                self.statusBar().showMessage(
                    f"Parts of this document are shown simplified: {document.simplified[0]}",
                    15000,
                )
                _log.info("%s shown simplified: %s", document.path, "; ".join(document.simplified))
        self.view.scroll_to_anchor(place.anchor)
        self.sidebar.show_section(place.section_id)
        if record:
            self.navigator.visit(place.section_id)
        self._update_history_actions()
        _log.debug("section %s", place.section_id)
        return True

    def current_section_id(self) -> str | None:
        return self.view.section_at_top()

    def forget_shown_document(self) -> None:
        """The shown document changed under its index (a pack being prepared): reload it."""
        self._document_index = -1

    @Slot()
    def go_back(self) -> None:
        place = self.navigator.back(self.current_section_id())
        if place is not None:
            self.open_section(place, record=False)
        self._update_history_actions()

    @Slot()
    def go_forward(self) -> None:
        place = self.navigator.forward()
        if place is not None:
            self.open_section(place, record=False)
        self._update_history_actions()

    @Slot()
    def go_home(self) -> None:
        self.open_section(self.navigator.home)

    def update_history_actions(self) -> None:
        """Back and Forward as the history allows (one carried over to another pack)."""
        self._update_history_actions()

    def _update_history_actions(self) -> None:
        if self.actions_by_name:
            here = self.current_section_id()
            self.actions_by_name["back"].setEnabled(self.navigator.can_go_back(here))
            self.actions_by_name["forward"].setEnabled(self.navigator.can_go_forward)

    @Slot()
    def next_section(self) -> None:
        target = self.navigator.step(self.current_section_id(), 1)
        if target is not None:
            self.open_section(target)

    @Slot()
    def previous_section(self) -> None:
        target = self.navigator.step(self.current_section_id(), -1)
        if target is not None:
            self.open_section(target)

    @Slot(str)
    def _section_changed(self, section_id: str) -> None:
        self._position_timer.start()
        self._show_position(section_id)
        self._update_history_actions()

    def _show_position(self, section_id: str | None) -> None:
        if self.status_line is not None:
            if self._section_numbers is None:
                sections = self.library.sections
                self._section_numbers = {s.id: n for n, s in enumerate(sections, 1)}
            number = self._section_numbers.get(section_id or "", 0)
            self.status_line.show_position(number, len(self._section_numbers))

    def outline_grew(self) -> None:
        """The pack's outline has more sections (a pack read while it is prepared)."""
        self._section_numbers = None
        self._show_position(self.current_section_id())

    @Slot()
    def save_position(self) -> None:
        here = self.current_section_id()
        if here:
            self.prefs.remember_position(self.library.fingerprint, here)
            self.prefs.save()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == qt().MouseButton.BackButton:
            self.go_back()
        elif event.button() == qt().MouseButton.ForwardButton:
            self.go_forward()
        else:
            super().mouseReleaseEvent(event)

    @Slot()
    def copy_section_link(self) -> None:
        section = self.current_section_id()
        if section:
            from ketreader.deeplink import section_link

            link = section_link(section)
            QApplication.clipboard().setText(link)
            self.statusBar().showMessage(f"Copied {link}", 5000)

    @Slot()
    def open_pack_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from ketreader.paths import documents_dir

        # A compiled pack is one file; a pack folder is chosen by its pack.toml.
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            "Open content pack",
            str(documents_dir()),
            "Content packs (*.ketpack pack.toml);;Compiled packs (*.ketpack)",
        )
        if chosen:
            path = Path(chosen)
            self.open_pack(path if path.suffix.lower() == ".ketpack" else path.parent)

    def open_pack(self, folder: Path) -> bool:
        """Switch to another pack; False when it is refused now (the current one stays).

        A pack that would take more than a moment is prepared in the background: this
        returns True at once, and the window switches when it is ready (ui/pack_opener.py).
        """
        return self.packs.open(folder)

    @property
    def packs(self) -> PackOpener:
        """Opens packs at once or prepares them in the background; built on first use."""
        if self._packs is None:
            from ketreader.ui.pack_opener import PackOpener

            self._packs = PackOpener(self)
        return self._packs

    # -- links ---------------------------------------------------------------------------

    @Slot(QUrl)
    def show_link_target(self, url: QUrl) -> None:
        if url.isEmpty():
            self.statusBar().clearMessage()
        else:
            self.statusBar().showMessage(url.toDisplayString())

    @Slot(QUrl)
    def confirm_external_link(self, url: QUrl) -> None:
        from PySide6.QtGui import QDesktopServices
        from PySide6.QtWidgets import QMessageBox

        address = url.toDisplayString()
        if url.scheme().lower() not in ("https", "mailto"):
            # Rendering already drops such links; this is the second lock on the same door.
            self.statusBar().showMessage(f"This link cannot be opened: {address}", 8000)
            _log.info("link refused: %s", address)
            return
        if not self.prefs.flag("allow_external_links"):
            self.statusBar().showMessage(f"External links are disabled here: {address}", 8000)
            _log.debug("external link refused: %s", address)
            return
        answer = QMessageBox.question(
            self,
            "Open external link?",
            f"This link leaves the guide and opens in your web browser:\n\n{address}\n\nOpen it?",
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        # The pointer left the link for the dialog, so no "left the link" ever comes.
        self.statusBar().clearMessage()
        if answer == QMessageBox.StandardButton.Open:
            QDesktopServices.openUrl(url)

    # -- view ----------------------------------------------------------------------------

    @Slot()
    def toggle_sidebar(self) -> None:
        visible = not self.left.isVisible()
        self.left.setVisible(visible)
        sizes = self.splitter.sizes()
        if visible and sizes and sizes[0] == 0:  # dragged shut, or saved so: give it room
            self.splitter.setSizes([SIDEBAR_WIDTH, max(1, sum(sizes) - SIDEBAR_WIDTH)])
        self.build_actions()["toggle-sidebar"].setChecked(visible)
        self.prefs.change("sidebar_visible", visible)

    @Slot()
    def toggle_toolbar(self) -> None:
        self.build_actions()
        assert self.toolbar is not None
        visible = not self.toolbar.isVisible()
        self.toolbar.setVisible(visible)
        self.actions_by_name["toggle-toolbar"].setChecked(visible)
        self.prefs.change("toolbar_visible", visible)

    @Slot()
    def toggle_caret_browsing(self) -> None:
        self.set_caret_browsing(not self.view.caret_browsing)

    def set_caret_browsing(self, on: bool) -> None:
        self.view.set_caret_browsing(on)
        if "caret-browsing" in self.actions_by_name:
            self.actions_by_name["caret-browsing"].setChecked(on)
        self.statusBar().showMessage(f"Caret browsing {'on' if on else 'off'}", 4000)

    @Slot()
    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    @Slot(int)
    def cycle_pane(self, step: int) -> None:
        candidates = [self.left.currentWidget(), self.search.bar, self.view]
        panes = [p for p in candidates if p is not None and p.isVisible()]
        focused = next(
            (
                i
                for i, p in enumerate(panes)
                if p.hasFocus() or p.isAncestorOf(QApplication.focusWidget() or self)
            ),
            -1,
        )
        panes[(focused + step) % len(panes)].setFocus(qt().FocusReason.OtherFocusReason)

    # -- help ------------------------------------------------------------------------------

    @Slot()
    def show_shortcuts(self) -> None:
        from ketreader.ui.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog(list(self.build_actions().values()), self).exec()

    @Slot()
    def about_guide(self) -> None:
        from ketreader.ui.about_dialog import AboutDialog, about_guide_html

        AboutDialog("About this guide", about_guide_html(self.library), self).exec()

    @Slot()
    def about_app(self) -> None:
        from ketreader.ui.about_dialog import AboutDialog, about_app_html

        AboutDialog("About ketreader", about_app_html(), self).exec()

    # -- lifecycle -----------------------------------------------------------------------

    def restore_window_state(self) -> None:
        """Size, place and sidebar width from last time, each checked before Qt sees it."""
        geometry = self.prefs.window_state("geometry")
        if geometry is not None and valid_geometry(geometry):
            self.restoreGeometry(QByteArray(geometry))
        else:
            self.resize(1100, 760)
        splitter = self.prefs.window_state("splitter")
        if splitter is not None and valid_splitter_state(splitter):
            self.splitter.restoreState(QByteArray(splitter))

    def save_state(self) -> None:
        self.prefs.remember_window_state("geometry", bytes(self.saveGeometry().data()))
        self.prefs.remember_window_state("splitter", bytes(self.splitter.saveState().data()))
        here = self.current_section_id()
        if here:
            self.prefs.remember_position(self.library.fingerprint, here)
        self.prefs.save()

    def end_session(self) -> None:
        """The system is logging out or shutting down: save, and let the window close."""
        self._session_ending = True
        self.save_state()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if (
            event.type() == QEvent.Type.WindowStateChange
            and self.prefs.kiosk
            and not self._session_ending
        ):
            # A window manager's menu (openbox's Alt+Space > Iconify) or a taskbar can minimize
            # the window or take it out of full screen: a kiosk goes straight back. Next turn
            # of the loop, as Qt is still inside the state change now.
            # At most five times a second: a window manager that keeps refusing full screen
            # must not make the two of them spin.
            wait = max(0, round(200 - 1000 * (time.monotonic() - self._kiosk_restored_at)))
            QTimer.singleShot(wait, self._hold_kiosk)

    def _hold_kiosk(self) -> None:
        if self._session_ending or (self.isFullScreen() and not self.isMinimized()):
            return
        self._kiosk_restored_at = time.monotonic()
        _log.info("kiosk restored: the window was minimized or left full screen")
        self.showFullScreen()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.prefs.kiosk and not self._session_ending:
            # Alt+F4 and the window manager's close button: a kiosk stays open.
            _log.debug("close refused: kiosk")
            event.ignore()
            return
        self.save_state()
        if self._packs is not None:
            self._packs.shutdown()
        super().closeEvent(event)
