"""UI room tests: zoom, themes, memory, keys, print, about and accessibility."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QKeySequence, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QLineEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ketreader.cli import main
from ketreader.deeplink import section_from_link
from ketreader.pipeline import open_library
from ketreader.render.stylesheet import PALETTES
from ketreader.settings import Settings
from ketreader.ui.about_dialog import about_app_html, about_guide_html
from ketreader.ui.main_window import MainWindow, WindowOptions
from ketreader.ui.shortcuts_dialog import ShortcutsDialog
from tests.conftest import GUIDE
from tests.unit.ui.conftest import make_window


def test_zoom_keys_and_wheel(window: MainWindow, qtbot: QtBot) -> None:
    view = window.view
    for keys, expected in (("Ctrl++", 1), ("Ctrl+=", 2), ("Ctrl+-", 1), ("Ctrl+0", 0)):
        sequence = QKeySequence(keys)
        qtbot.keyClick(view, sequence[0].key(), sequence[0].keyboardModifiers())
        assert view.zoom == expected, keys
    wheel = QWheelEvent(
        QPointF(50, 50),
        QPointF(50, 50),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.zoom == 1
    assert window.settings.zoom == 1


def test_zoom_uses_standard_keys(window: MainWindow) -> None:
    shortcuts = window.actions_by_name["zoom-in"].shortcuts()
    assert QKeySequence(QKeySequence.StandardKey.ZoomIn) in shortcuts
    assert QKeySequence(QKeySequence.StandardKey.Find) in window.actions_by_name["find"].shortcuts()


def test_high_contrast_body_text_reaches_aaa() -> None:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(a: str, b: str) -> float:
        high, low = sorted((luminance(a), luminance(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    for theme, colours in PALETTES.items():
        need = 7.0 if theme == "high-contrast" else 4.5
        for fg in ("fg", "heading", "link", "note_fg"):
            bg = "note_bg" if fg == "note_fg" else "bg"
            assert contrast(colours[fg], colours[bg]) >= need, (theme, fg)
        assert contrast(colours["highlight_fg"], colours["highlight_bg"]) >= 4.5, theme


def test_theme_menu_restyles_document_and_palette(window: MainWindow) -> None:
    window.actions_by_name["theme-dark"].trigger()
    assert PALETTES["dark"]["bg"] in window.view.document().defaultStyleSheet()
    assert QApplication.palette().base().color().name() == PALETTES["dark"]["bg"]
    assert window.settings.theme == "dark"
    assert window.view.section_at_top() == "what-is-ketamine"  # the place is kept


def test_locked_theme_cannot_change(qtbot: QtBot) -> None:
    win = make_window(qtbot, WindowOptions(theme="high-contrast", theme_locked=True))
    assert not win.actions_by_name["theme-dark"].isEnabled()
    win.choose_theme("dark")
    assert PALETTES["high-contrast"]["bg"] in win.view.document().defaultStyleSheet()


def test_state_survives_a_restart(qtbot: QtBot) -> None:
    first = make_window(qtbot)
    first.open_section("pain-management")
    first.view.set_zoom(3)
    first.close()
    settings = Settings()
    assert settings.zoom == 3
    assert settings.position(first.library.pack.fingerprint) == "pain-management"
    assert settings.geometry is not None and settings.splitter is not None


def test_corrupt_settings_start_with_defaults_and_keep_a_copy(
    isolated_user_dirs: Path, qtbot: QtBot
) -> None:
    path = isolated_user_dirs / "config" / "ketreader" / "ketreader.ini"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00\xff[view\nzoom=\xfe\xfe\n")
    settings = Settings()
    assert settings.zoom == 0 and settings.theme == "system"
    assert any("unreadable" in w for w in settings.warnings)
    assert list(path.parent.glob("ketreader.ini.unreadable-*"))
    win = MainWindow(open_library(GUIDE), settings)
    qtbot.addWidget(win)
    win.close()


def test_bad_values_read_as_defaults(isolated_user_dirs: Path) -> None:
    path = isolated_user_dirs / "config" / "ketreader" / "ketreader.ini"
    path.parent.mkdir(parents=True)
    path.write_text("[view]\ntheme=purple\nzoom=lots\n", "utf-8")
    settings = Settings()
    assert (settings.theme, settings.zoom) == ("system", 0)


def test_unwritable_settings_folder_never_stops_the_reader(
    isolated_user_dirs: Path, qtbot: QtBot
) -> None:
    blocker = isolated_user_dirs / "config"
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the folder should be", "utf-8")
    settings = Settings()
    win = MainWindow(open_library(GUIDE), settings)
    qtbot.addWidget(win)
    win.close()
    assert any("cannot create settings folder" in w for w in settings.warnings)


def test_history_keys(window: MainWindow, qtbot: QtBot) -> None:
    window.open_section("key-takeaways")
    qtbot.keyClick(window.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.view.section_at_top() == "what-is-ketamine"
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.view.section_at_top() == "key-takeaways"
    window.actions_by_name["previous-section"].trigger()
    assert window.view.section_at_top() == "the-future-of-ketamine-research"
    window.actions_by_name["next-section"].trigger()
    assert window.view.section_at_top() == "key-takeaways"


def test_tab_order_and_f6(window: MainWindow, qtbot: QtBot) -> None:
    assert window.sidebar.nextInFocusChain() is window.search_bar or (
        QWidget.nextInFocusChain(window.sidebar) is not None
    )
    window.sidebar.setFocus()
    qtbot.keyClick(window.sidebar, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.search_bar
    window.actions_by_name["next-pane"].trigger()
    assert QApplication.focusWidget() is window.view
    window.actions_by_name["next-pane"].trigger()
    assert QApplication.focusWidget() is window.sidebar


def test_every_control_is_named_for_screen_readers(window: MainWindow, qtbot: QtBot) -> None:
    window.run_search("risk")  # create the results list too
    interactive = (QAbstractButton, QLineEdit, QAbstractItemView, QTextEdit)
    unnamed = [
        f"{type(w).__name__} {w.objectName()!r}"
        for w in window.findChildren(QWidget)
        if isinstance(w, interactive) and w.isVisibleTo(window) and not w.accessibleName()
    ]
    assert unnamed == []
    for widget in (window.sidebar, window.search_bar, window.view, window.results):
        assert widget.accessibleDescription()


def test_headings_are_exposed_as_headings(window: MainWindow) -> None:
    document = window.view.document()
    levels = {}
    block = document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel():
            levels[block.text()] = block.blockFormat().headingLevel()
        block = block.next()
    assert levels["What is ketamine?"] == 1
    assert levels["Key takeaways"] == 2 and levels["Pain management"] == 3


def test_shortcuts_dialog_lists_every_shortcut(window: MainWindow, qtbot: QtBot) -> None:
    dialog = ShortcutsDialog(list(window.actions_by_name.values()), window)
    qtbot.addWidget(dialog)
    names = [name for name, _ in dialog.rows()]
    for action in window.actions_by_name.values():
        if action.shortcuts():
            assert action.text().replace("&", "") in names
    assert any("F6" in keys for _, keys in dialog.rows())


def test_ctrl_q_quits_and_saves(window: MainWindow, qtbot: QtBot) -> None:
    window.open_section("pain-management")
    qtbot.keyClick(window.view, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
    assert Settings().position(window.library.pack.fingerprint) == "pain-management"


def test_export_pdf_has_pages(window: MainWindow, tmp_path: Path) -> None:
    from ketreader.render.export import printable_html
    from ketreader.ui.print_layout import write_pdf

    target = window.export_pdf(whole=True, target=tmp_path / "guide.pdf")
    assert target is not None and target.read_bytes().startswith(b"%PDF")
    body, title = printable_html(window.library.pack)
    assert title == "What is ketamine?"
    assert write_pdf(body, title, tmp_path / "again.pdf") >= 2
    window.open_section("approved-medical-uses")
    section = window.export_pdf(whole=False, target=tmp_path / "section.pdf")
    assert section is not None and section.stat().st_size < target.stat().st_size
    body, title = printable_html(window.library.pack, "approved-medical-uses")
    assert title.endswith("Approved medical uses")
    assert "Pain management" in body and "Key takeaways" not in body


def test_export_html_matches_the_command_line(
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = tmp_path / "guide.html"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.actions_by_name["export-html"].trigger()
    main(["export", "--format", "html"])
    assert target.read_text("utf-8") == capsys.readouterr().out


def test_about_texts() -> None:
    pack = open_library(GUIDE).pack
    guide = about_guide_html(pack)
    for expected in (
        "What is ketamine?",
        "1.0.0",
        "en",
        pack.fingerprint[:4],
        "promotional contact details",
    ):
        assert expected in guide
    app_text = about_app_html()
    assert "PySide6" in app_text and "Qt " in app_text and "LGPL" in app_text


def test_menus(window: MainWindow) -> None:
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "View", "Go", "Search", "Help"]
    for name in (
        "open-pack",
        "export-html",
        "export-pdf",
        "print",
        "quit",
        "full-screen",
        "toggle-sidebar",
        "back",
        "forward",
        "about-guide",
        "about-app",
        "shortcuts",
    ):
        assert name in window.actions_by_name


def test_copy_link_round_trips(window: MainWindow) -> None:
    window.open_section("pain-management")
    window.actions_by_name["copy-link"].trigger()
    link = QApplication.clipboard().text()
    assert link == "ketreader://section/pain-management"
    assert section_from_link(link) == "pain-management"


def test_sidebar_toggle_is_remembered(window: MainWindow) -> None:
    window.actions_by_name["toggle-sidebar"].trigger()
    assert not window.left.isVisible() and window.settings.sidebar_visible is False


def test_theme_change_keeps_search_highlights(window: MainWindow, qtbot: QtBot) -> None:
    window.focus_search()
    qtbot.keyClicks(window.search_bar, "risk")
    qtbot.keyClick(window.search_bar, Qt.Key.Key_Return)
    before = window.match_label.text()
    window.choose_theme("high-contrast")
    assert window.match_label.text() == before
    selections = window.view.extraSelections()
    assert selections
    first = selections[0]
    assert first.cursor.selectedText().lower().startswith("risk")


def test_system_theme_follows_a_live_scheme_change(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt as QtNs

    from ketreader.ui import theme

    win = make_window(qtbot, WindowOptions(theme="system"))
    try:
        win.follow_system_scheme(QtNs.ColorScheme.Dark)
        assert PALETTES["dark"]["bg"] in win.view.document().defaultStyleSheet()
        win.follow_system_scheme(QtNs.ColorScheme.Light)
        assert PALETTES["light"]["bg"] in win.view.document().defaultStyleSheet()
        win.choose_theme("high-contrast")  # an explicit choice ignores the system from now on
        win.follow_system_scheme(QtNs.ColorScheme.Dark)
        assert PALETTES["high-contrast"]["bg"] in win.view.document().defaultStyleSheet()
    finally:
        theme.set_system_dark(None)


def test_mouse_back_and_forward_buttons(window: MainWindow, qtbot: QtBot) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QMouseEvent

    def press(button: Qt.MouseButton) -> None:
        event = QMouseEvent(
            QMouseEvent.Type.MouseButtonRelease,
            QPointF(5, 5),
            QPointF(5, 5),
            button,
            button,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(window, event)

    window.open_section("key-takeaways")
    press(Qt.MouseButton.BackButton)
    assert window.view.section_at_top() == "what-is-ketamine"
    press(Qt.MouseButton.ForwardButton)
    assert window.view.section_at_top() == "key-takeaways"


def test_print_opens_a_preview_of_the_whole_guide(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    pages: list[int] = []

    def fake_exec(dialog: QPrintPreviewDialog) -> int:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "print.pdf"))
        dialog.paintRequested.emit(printer)
        pages.append(printer.pageLayout().fullRectPoints().height())
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    window.actions_by_name["print"].trigger()
    assert pages and (tmp_path / "print.pdf").stat().st_size > 1000


@pytest.mark.parametrize("theme", ["light", "dark", "high-contrast"])
def test_search_highlights_use_the_theme_colours(qtbot: QtBot, theme: str) -> None:
    win = make_window(qtbot, WindowOptions(theme=theme))
    win.run_search("bladder")
    win.open_selected_result()
    selections = win.view.extraSelections()
    assert selections
    first = selections[0]
    assert first.format.background().color().name() in {
        PALETTES[theme]["highlight_bg"],
        PALETTES[theme]["current_bg"],
    }
    assert first.format.foreground().color().name() == PALETTES[theme]["highlight_fg"]
