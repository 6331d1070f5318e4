"""UI room: the main window, which lays out the widgets and connects their signals."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QPoint, QUrl, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolBar,
)

from ketreader.history import History
from ketreader.pipeline import Library
from ketreader.render.stylesheet import document_css
from ketreader.settings import Settings
from ketreader.ui.qt_namespace import qt
from ketreader.ui.reader_view import ReaderView
from ketreader.ui.search_bar import SearchBar
from ketreader.ui.sidebar import Sidebar
from ketreader.ui.theme import (
    application_palette,
    remember_platform_palette,
    resolve_theme,
    set_system_dark,
    view_colours,
)

# Qt classes used only after the first paint are imported where they are used: each one's
# first import costs PySide6 type set-up time that the first paint does not need.
if TYPE_CHECKING:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QMouseEvent
    from PySide6.QtWidgets import QLabel, QMenu

    from ketreader.search.index import SearchResult
    from ketreader.ui.results_list import ResultsList


THEME_LABELS = {
    "system": "&System",
    "light": "&Light",
    "dark": "&Dark",
    "high-contrast": "&High Contrast",
}


class WindowOptions(NamedTuple):
    """What the command line and the admin policy decide about this window."""

    theme: str = "system"
    zoom: int = 0
    sidebar_visible: bool = True
    theme_locked: bool = False
    zoom_locked: bool = False
    kiosk: bool = False
    allow_print: bool = True
    allow_export: bool = True
    allow_open_pack: bool = True
    allow_external_links: bool = True


class MainWindow(QMainWindow):
    """Sidebar and results on the left, the reader on the right, search on top."""

    def __init__(
        self, library: Library, settings: Settings, options: WindowOptions | None = None
    ) -> None:
        super().__init__()
        self.library = library
        self.settings = settings
        self.options = options or WindowOptions()
        self._document_index = -1
        self.history = History()
        self._theme_choice = self.options.theme
        self._last_result: SearchResult | None = None

        self.search_bar = SearchBar(self)
        self._match_label: QLabel | None = None  # created by the first search
        self.sidebar = Sidebar(self)
        self._results: ResultsList | None = None  # created by the first search
        self.left = QStackedWidget(self)
        self.left.addWidget(self.sidebar)
        self.view = ReaderView(self)
        # WORKAROUND for https://github.com/python/cpython/issues/82840 (see ui/qt_namespace.py):
        # no parent argument, since QSplitter(parent) is resolved against QSplitter(Qt.Orientation,
        # ...), which builds the whole Qt enum namespace. Horizontal by default.
        self.splitter = QSplitter()
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(self.view)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([320, 780])
        self.setCentralWidget(self.splitter)
        self._toolbar = QToolBar("Search", self)
        self._toolbar.setObjectName("search-toolbar")
        self._toolbar.setMovable(False)
        self._toolbar.addWidget(self.search_bar)
        self.addToolBar(self._toolbar)
        self._actions: dict[str, QAction] = {}
        self._actions_built = False
        bar = self.menuBar()
        self._menus = {
            name: bar.addMenu(name) for name in ("&File", "&View", "&Go", "&Search", "&Help")
        }
        self._connect_signals()
        self.setTabOrder(self.sidebar, self.search_bar)
        self.setTabOrder(self.search_bar, self.view)

        self.setWindowTitle(f"{library.pack.title} — ketreader")
        self.sidebar.set_sections(library.pack.sections)
        self.apply_theme(self._theme_choice)
        self.view.set_zoom(self.options.zoom)
        if not self.options.sidebar_visible:
            self.left.hide()

    # -- actions -------------------------------------------------------------------------

    def _action(
        self,
        menu: QMenu | None,
        name: str,
        text: str,
        slot: Callable[[], object],
        *keys: str | QKeySequence.StandardKey,
        checkable: bool = False,
    ) -> QAction:
        """One action: its standard key bindings first, then spelled-out extras."""
        from PySide6.QtGui import QAction, QKeySequence

        action = QAction(text, self)
        action.setObjectName(name)
        action.setCheckable(checkable)
        sequences: list[QKeySequence] = []
        for key in keys:
            if isinstance(key, str):
                sequences.append(QKeySequence(key))
            else:
                sequences.extend(QKeySequence.keyBindings(key))
        # The standard binding and the spelled-out one are often the same: keep each once.
        unique = dict.fromkeys(s.toString() for s in sequences if not s.isEmpty())
        action.setShortcuts([QKeySequence(s) for s in unique])
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work in full screen, with the menu bar hidden too
        if menu is not None:
            menu.addAction(action)
        self._actions[name] = action
        return action

    @property
    def actions_by_name(self) -> dict[str, QAction]:
        """Every action by name; built on first use or right after the first paint."""
        if not self._actions_built:
            self._actions_built = True
            self._build_actions()
        return self._actions

    @Slot()
    def _after_first_paint(self) -> None:
        # Menus' contents and shortcuts are not needed to paint: about a third of the
        # window's construction time moves here, a few milliseconds after the first paint.
        _ = self.actions_by_name
        self.statusBar()  # 4.5 ms to create; it is empty until a link is hovered anyway
        from PySide6.QtGui import QIcon

        from ketreader.resources import resource_path

        icon = QIcon()
        for size in (16, 32, 48, 64, 128, 256):
            icon.addFile(str(resource_path("icons", f"ketreader-{size}.png")))
        self.setWindowIcon(icon)

    def _build_actions(self) -> None:
        from PySide6.QtGui import QActionGroup, QKeySequence

        std = QKeySequence.StandardKey
        opts, add = self.options, self._action
        file_menu, view_menu, go_menu, search_menu, help_menu = self._menus.values()

        if opts.allow_open_pack and not opts.kiosk:
            add(file_menu, "open-pack", "&Open Pack…", self.choose_pack, std.Open)
        if opts.allow_export:
            export_menu = file_menu.addMenu("&Export")
            add(export_menu, "export-html", "Guide as &HTML…", self.export_html)
            add(export_menu, "export-pdf", "Guide as &PDF…", lambda: self.export_pdf(whole=True))
            add(export_menu, "export-section-pdf", "Current &Section as PDF…",
                lambda: self.export_pdf(whole=False))  # fmt: skip
        if opts.allow_print:
            add(file_menu, "print", "&Print…", self.print_guide, std.Print)
        if not opts.kiosk:  # a kiosk is the trainee's whole screen: nothing leaves the guide
            file_menu.addSeparator()
            add(file_menu, "quit", "&Quit", self.close, "Ctrl+Q")

        for zoom in (
            add(view_menu, "zoom-in", "Zoom &In", self.zoom_in, std.ZoomIn, "Ctrl+=", "Ctrl++"),
            add(view_menu, "zoom-out", "Zoom &Out", self.zoom_out, std.ZoomOut, "Ctrl+-"),
            add(view_menu, "zoom-reset", "&Actual Size", self.zoom_reset, "Ctrl+0"),
        ):
            zoom.setEnabled(not opts.zoom_locked)
        theme_menu = view_menu.addMenu("&Theme")
        self.theme_group = QActionGroup(self)
        for choice, label in THEME_LABELS.items():
            theme = add(theme_menu, f"theme-{choice}", label,
                        functools.partial(self.choose_theme, choice), checkable=True)  # fmt: skip
            theme.setChecked(choice == self._theme_choice)
            theme.setEnabled(not opts.theme_locked)
            self.theme_group.addAction(theme)
        add(view_menu, "toggle-sidebar", "Show &Sidebar", self.toggle_sidebar, "Ctrl+Shift+B",
            checkable=True).setChecked(opts.sidebar_visible)  # fmt: skip
        if not opts.kiosk:
            add(view_menu, "full-screen", "&Full Screen", self.toggle_full_screen,
                std.FullScreen, "F11", checkable=True)  # fmt: skip

        add(go_menu, "back", "&Back", self.go_back, std.Back, "Alt+Left")
        add(go_menu, "forward", "&Forward", self.go_forward, std.Forward, "Alt+Right")
        add(go_menu, "next-section", "&Next Section", self.next_section, "Ctrl+PgDown")
        add(go_menu, "previous-section", "&Previous Section", self.previous_section, "Ctrl+PgUp")
        go_menu.addSeparator()
        add(go_menu, "copy-link", "&Copy Link to Section", self.copy_section_link, "Ctrl+Shift+C")

        add(search_menu, "find", "&Find", self.focus_search, std.Find, "Ctrl+K")
        add(search_menu, "find-next", "Find &Next", lambda: self.view.step_match(1),
            std.FindNext, "F3")  # fmt: skip
        add(search_menu, "find-previous", "Find &Previous", lambda: self.view.step_match(-1),
            std.FindPrevious, "Shift+F3")  # fmt: skip
        add(None, "next-pane", "Next Pane", lambda: self.cycle_pane(1), "F6")
        add(None, "previous-pane", "Previous Pane", lambda: self.cycle_pane(-1), "Shift+F6")

        add(help_menu, "shortcuts", "&Keyboard Shortcuts", self.show_shortcuts, std.HelpContents)
        add(help_menu, "about-guide", "About this &Guide", self.about_guide)
        add(help_menu, "about-app", "&About ketreader", self.about_app)

    def _connect_signals(self) -> None:
        # Start-up: whatever the first paint does not need is built right after it.
        self.view.first_paint.connect(self._after_first_paint)
        # Navigation: the sidebar, links and search results all land in open_section.
        self.sidebar.section_activated.connect(self.open_section)
        self.view.internal_link.connect(self.open_section)
        # Scroll-spy: the view reports the section at its top; the sidebar follows quietly.
        self.view.section_in_view.connect(self.sidebar.show_section)
        # Search: debounced queries in, keyboard navigation of the results list.
        self.search_bar.query_changed.connect(self.run_search)
        self.search_bar.move_selection.connect(self.move_result_selection)
        self.search_bar.accepted.connect(self.open_selected_result)
        self.search_bar.dismissed.connect(self.dismiss_search)
        self.view.escape_pressed.connect(self.dismiss_search)
        self.view.match_changed.connect(self.show_match_count)
        # Links: internal ones navigate; external ones are shown, and opened only on request.
        self.view.highlighted.connect(self.show_link_target)
        self.view.external_link.connect(self.confirm_external_link)
        # Settings that follow the view, and the system's light or dark scheme.
        self.view.zoom_changed.connect(self.remember_zoom)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.follow_system_scheme)
        remember_platform_palette()

    # -- navigation ----------------------------------------------------------------------

    @Slot(str)
    def open_section(self, section_id: str, record: bool = True) -> bool:
        pack = self.library.pack
        section = pack.section(section_id)
        if section is None:
            self.statusBar().showMessage(f"Section not found: {section_id}", 5000)
            return False
        document = pack.documents[section.document]
        if section.document != self._document_index:
            self._document_index = section.document
            self.view.show_document(document, pack.root, self._stylesheet())
        anchor = next((m.anchor for m in document.marks if m.section_id == section_id), None)
        self.view.scroll_to_anchor(anchor)
        self.sidebar.show_section(section_id)
        if record:
            self.history.visit(section_id)
        return True

    @Slot()
    def go_back(self) -> None:
        self._remember_here()
        place = self.history.back()
        if place is not None:
            self.open_section(place, record=False)

    @Slot()
    def go_forward(self) -> None:
        place = self.history.forward()
        if place is not None:
            self.open_section(place, record=False)

    def _remember_here(self) -> None:
        # Reading by scrolling counts as a place too, so Back returns to where you were.
        here = self.current_section_id()
        if here and self.history.current is not None:
            self.history.visit(here)

    def _step_section(self, step: int) -> None:
        ids = [s.id for s in self.library.pack.sections]
        current = self.current_section_id()
        index = ids.index(current) if current in ids else -1
        target = index + step
        if 0 <= target < len(ids):
            self.open_section(ids[target])

    @Slot()
    def next_section(self) -> None:
        self._step_section(1)

    @Slot()
    def previous_section(self) -> None:
        self._step_section(-1)

    def current_section_id(self) -> str | None:
        return self.view.section_at_top()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == qt().MouseButton.BackButton:
            self.go_back()
        elif event.button() == qt().MouseButton.ForwardButton:
            self.go_forward()
        else:
            super().mouseReleaseEvent(event)

    # -- search --------------------------------------------------------------------------

    @Slot()
    def focus_search(self) -> None:
        self.search_bar.setFocus(qt().FocusReason.ShortcutFocusReason)
        self.search_bar.selectAll()

    @property
    def results(self) -> ResultsList:
        if self._results is None:
            from ketreader.ui.results_list import ResultsList

            self._results = ResultsList(self)
            self.left.addWidget(self._results)
            # Search results: chosen by click or Enter in the list itself.
            self._results.result_chosen.connect(self.open_result)
        return self._results

    @property
    def match_label(self) -> QLabel:
        """The "3 of 12" beside the search field."""
        if self._match_label is None:
            from PySide6.QtWidgets import QLabel

            self._match_label = QLabel(self)
            self._match_label.setAccessibleName("Match count")
            self._match_label.setAccessibleDescription("Which search match is current, of how many")
            self._toolbar.addWidget(self._match_label)
        return self._match_label

    @Slot(int)
    def move_result_selection(self, step: int) -> None:
        if self.left.currentWidget() is self._results:
            self.results.move_selection(step)

    @Slot(str)
    def run_search(self, query: str) -> None:
        if not query.strip():
            self.left.setCurrentWidget(self.sidebar)
            self._last_result = None
            return
        from ketreader.search.index import SearchUnavailableError

        started = time.perf_counter()
        try:
            result = self.library.index.search(query)
        except SearchUnavailableError as exc:
            # Reading still works without FTS5; say why search does not, once, and stop.
            self.search_bar.setEnabled(False)
            self.search_bar.setPlaceholderText("Search is unavailable on this computer")
            self.statusBar().showMessage(str(exc))
            return
        self.search_bar.adapt_debounce(time.perf_counter() - started)
        self._last_result = result
        self.results.show_result(result)
        self.left.setCurrentWidget(self.results)

    @Slot()
    def open_selected_result(self) -> None:
        if self._results is None or self.left.currentWidget() is not self._results:
            return
        section_id = self._results.current_id()
        if section_id is not None:
            self.open_result(section_id)

    @Slot(str)
    def open_result(self, section_id: str) -> None:
        self._remember_here()
        if not self.open_section(section_id):
            return
        if self._last_result is not None:
            start = self.view.cursorForPosition(QPoint(0, 2)).position()
            words = self.library.index.highlight_words(self._last_result)
            self.view.set_highlights(words, start_at=start)
            self.view.step_match(0)
        self.view.setFocus(qt().FocusReason.OtherFocusReason)

    @Slot()
    def dismiss_search(self) -> None:
        self.left.setCurrentWidget(self.sidebar)
        self.view.clear_highlights()

    @Slot(int, int)
    def show_match_count(self, current: int, total: int) -> None:
        if total or self._match_label is not None:
            self.match_label.setText(f" {current} of {total} " if total else "")

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
        if not self.options.allow_external_links:
            self.statusBar().showMessage(f"External links are disabled here: {address}", 8000)
            return
        answer = QMessageBox.question(
            self,
            "Open external link?",
            f"This link leaves the guide and opens in your web browser:\n\n{address}\n\nOpen it?",
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Open:
            QDesktopServices.openUrl(url)

    # -- view ----------------------------------------------------------------------------

    def _stylesheet(self) -> str:
        return document_css(resolve_theme(self._theme_choice))

    def apply_theme(self, choice: str) -> None:
        self._theme_choice = choice
        theme = resolve_theme(choice)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setPalette(application_palette(theme))
        # Before any document is shown this only records the highlight colours.
        self.view.restyle(document_css(theme), view_colours(theme))

    @Slot()
    def zoom_in(self) -> None:
        self.view.set_zoom(self.view.zoom + 1)

    @Slot()
    def zoom_out(self) -> None:
        self.view.set_zoom(self.view.zoom - 1)

    @Slot()
    def zoom_reset(self) -> None:
        self.view.set_zoom(0)

    @Slot(int)
    def remember_zoom(self, steps: int) -> None:
        if not self.options.zoom_locked:
            self.settings.zoom = steps

    @Slot(str)
    def choose_theme(self, choice: str) -> None:
        if self.options.theme_locked:
            return
        self.apply_theme(choice)
        self.settings.theme = choice

    # WORKAROUND for https://github.com/python/cpython/issues/82840 (ui/qt_namespace.py): the
    # type by its C++ name, so declaring the slot does not build the whole Qt enum namespace.
    @Slot("Qt::ColorScheme")
    def follow_system_scheme(self, scheme: Qt.ColorScheme) -> None:
        set_system_dark(scheme == qt().ColorScheme.Dark)
        if self._theme_choice == "system":
            self.apply_theme("system")

    @Slot()
    def toggle_sidebar(self) -> None:
        visible = not self.left.isVisible()
        self.left.setVisible(visible)
        self.actions_by_name["toggle-sidebar"].setChecked(visible)
        self.settings.sidebar_visible = visible

    @Slot()
    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    @Slot(int)
    def cycle_pane(self, step: int) -> None:
        candidates = [self.left.currentWidget(), self.search_bar, self.view]
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

    @Slot()
    def copy_section_link(self) -> None:
        section = self.current_section_id()
        if section:
            from ketreader.deeplink import section_link

            link = section_link(section)
            QApplication.clipboard().setText(link)
            self.statusBar().showMessage(f"Copied {link}", 5000)

    # -- files, printing and export ------------------------------------------------------

    @Slot()
    def choose_pack(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self, "Open content pack")
        if folder:
            self.open_pack(Path(folder))

    def open_pack(self, folder: Path) -> bool:
        """Switch to another pack; a broken one is refused and the current one stays."""
        from ketreader.content.diagnostics import PackError
        from ketreader.pipeline import open_library

        try:
            library = open_library(folder)
        except PackError as exc:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, "Content pack refused", str(exc))
            return False
        self.library = library
        self._document_index = -1
        self.history.clear()
        self._last_result = None
        self.setWindowTitle(f"{library.pack.title} — ketreader")
        self.sidebar.set_sections(library.pack.sections)
        self.open_section(library.pack.sections[0].id)
        return True

    def _export_target(self, title: str, suffix: str) -> Path | None:
        from PySide6.QtCore import QStandardPaths
        from PySide6.QtWidgets import QFileDialog

        stem = "".join(c if c.isalnum() else "-" for c in self.library.pack.title).strip("-")
        name = f"{stem or 'guide'}.{suffix}"
        if self.options.kiosk:  # no file dialogs in kiosk mode: a fixed, visible place
            documents = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation
            )
            return Path(documents) / name
        chosen, _ = QFileDialog.getSaveFileName(self, title, name, f"{suffix.upper()} (*.{suffix})")
        return Path(chosen) if chosen else None

    @Slot()
    def export_html(self) -> None:
        from ketreader.render.export import export_html

        target = self._export_target("Export as HTML", "html")
        if target is not None:
            self._write(
                target, lambda: target.write_text(export_html(self.library.pack), encoding="utf-8")
            )

    def export_pdf(self, whole: bool = True, target: Path | None = None) -> Path | None:
        from ketreader.render.export import printable_html
        from ketreader.ui.print_layout import write_pdf

        target = target or self._export_target("Export as PDF", "pdf")
        if target is None:
            return None
        body, title = printable_html(
            self.library.pack, None if whole else self.current_section_id()
        )
        return target if self._write(target, lambda: write_pdf(body, title, target)) else None

    def _write(self, target: Path, action: Callable[[], object]) -> bool:
        try:
            action()
        except OSError as exc:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, "Export failed", f"{target}: {exc.strerror or exc}")
            return False
        self.statusBar().showMessage(f"Saved {target}", 8000)
        return True

    @Slot()
    def print_guide(self) -> None:
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        from ketreader.render.export import printable_html
        from ketreader.ui.print_layout import paint_pages, printable_document

        body, title = printable_html(self.library.pack)
        document = printable_document(body)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        preview = QPrintPreviewDialog(printer, self)
        preview.setWindowTitle(f"Print — {title}")
        preview.paintRequested.connect(lambda p: paint_pages(document, p, title))
        preview.exec()

    # -- help ------------------------------------------------------------------------------

    @Slot()
    def show_shortcuts(self) -> None:
        from ketreader.ui.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog(list(self.actions_by_name.values()), self).exec()

    @Slot()
    def about_guide(self) -> None:
        from ketreader.ui.about_dialog import AboutDialog, about_guide_html

        AboutDialog("About this guide", about_guide_html(self.library.pack), self).exec()

    @Slot()
    def about_app(self) -> None:
        from ketreader.ui.about_dialog import AboutDialog, about_app_html

        AboutDialog("About ketreader", about_app_html(), self).exec()

    # -- lifecycle -----------------------------------------------------------------------

    def save_state(self) -> None:
        self.settings.geometry = self.saveGeometry()
        self.settings.splitter = self.splitter.saveState()
        here = self.current_section_id()
        if here:
            self.settings.set_position(self.library.pack.fingerprint, here)
        if not self.options.zoom_locked:
            self.settings.zoom = self.view.zoom
        self.settings.save()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_state()
        super().closeEvent(event)
