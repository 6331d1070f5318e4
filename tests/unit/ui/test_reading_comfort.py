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
from ketreader.content.pack import short_fingerprint
from ketreader.deeplink import section_from_link
from ketreader.library_loader import load_library
from ketreader.policy import resolve
from ketreader.render.stylesheet import PALETTES
from ketreader.settings import UserSettings
from ketreader.ui.about_dialog import about_app_html, about_guide_html
from ketreader.ui.main_window import MainWindow
from ketreader.ui.shortcuts_dialog import ShortcutsDialog
from tests.conftest import GUIDE
from tests.unit.ui.conftest import make_window


def saved() -> UserSettings:
    """The user's settings file as it is on disk now."""
    return UserSettings(resolve().settings_file)


def test_zoom_keys_and_wheel(window: MainWindow, qtbot: QtBot) -> None:
    view = window.view
    for keys, expected in (("Ctrl++", 1), ("Ctrl+=", 2), ("Ctrl+-", 1), ("Ctrl+0", 0)):
        sequence = QKeySequence(keys)
        combination = sequence[0]  # type: ignore[index]  # PySide6's stubs lack __getitem__
        qtbot.keyClick(view, combination.key(), combination.keyboardModifiers())
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
    assert window.prefs.value("zoom") == 1


def test_zoom_uses_standard_keys(window: MainWindow) -> None:
    actions = window.build_actions()
    shortcuts = actions["zoom-in"].shortcuts()
    assert QKeySequence(QKeySequence.StandardKey.ZoomIn) in shortcuts
    # Ctrl+F finds in the page, as in every browser; Ctrl+K searches the whole guide.
    assert QKeySequence(QKeySequence.StandardKey.Find) in actions["find-in-page"].shortcuts()
    assert actions["find"].shortcuts() == [QKeySequence("Ctrl+K")]


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
    window.build_actions()["theme-dark"].trigger()
    assert PALETTES["dark"]["bg"] in window.view.document().defaultStyleSheet()
    assert QApplication.palette().base().color().name() == PALETTES["dark"]["bg"]
    assert window.prefs.value("theme") == "dark"
    window.save_state()
    assert saved().values()["theme"] == "dark"
    assert window.view.section_at_top() == "what-is-ketamine"  # the place is kept


def test_locked_theme_cannot_change(qtbot: QtBot, isolated_user_dirs: Path) -> None:
    win = make_window(qtbot, policy="[policy]\ntheme = high-contrast\n", home=isolated_user_dirs)
    action = win.build_actions()["theme-dark"]
    assert not action.isEnabled() and action.toolTip() == "Set by your administrator"
    win.appearance.choose_theme("dark")
    assert PALETTES["high-contrast"]["bg"] in win.view.document().defaultStyleSheet()
    win.save_state()
    assert "theme" not in saved().values()  # a locked value is never written


def test_state_survives_a_restart(qtbot: QtBot) -> None:
    first = make_window(qtbot)
    first.open_section("pain-management")
    first.appearance.set_zoom(3)
    first.close()
    settings = saved()
    assert settings.values()["zoom"] == 3
    assert settings.position(first.library.fingerprint) == "pain-management"
    assert settings.state("window", "geometry") and settings.state("window", "splitter")
    again = make_window(qtbot)
    again.restore_window_state()
    assert again.view.zoom == 3
    assert again.splitter.saveState().data() == settings.state("window", "splitter")


def test_locked_zoom_is_never_written_and_holds_against_every_path(
    qtbot: QtBot, isolated_user_dirs: Path
) -> None:
    win = make_window(qtbot, policy="[policy]\nzoom = 2\n", home=isolated_user_dirs)
    assert win.view.zoom == 2
    win.appearance.zoom_in()
    win.view.zoom_requested.emit(1)  # Ctrl+wheel
    win.appearance.set_zoom(7)
    assert win.view.zoom == 2
    assert not win.build_actions()["zoom-in"].isEnabled()
    win.close()
    assert "zoom" not in saved().values()


def test_corrupt_settings_start_with_defaults_and_keep_a_copy(
    isolated_user_dirs: Path, qtbot: QtBot
) -> None:
    path = isolated_user_dirs / "config" / "ketreader" / "ketreader.ini"
    path.parent.mkdir(parents=True)
    damaged = b"\x00\xff[view\nzoom=\xfe\xfe\n"
    path.write_bytes(damaged)
    effective = resolve()
    assert effective["zoom"] == 0 and effective["theme"] == "system"
    assert any("unreadable" in w for w in effective.warnings)
    (backup,) = path.parent.glob("ketreader.ini.unreadable-*")
    assert backup.read_bytes() == damaged  # nothing lost
    win = make_window(qtbot)
    win.appearance.set_zoom(2)
    win.close()
    assert saved().values()["zoom"] == 2  # a clean file replaced the damaged one


def test_bad_values_read_as_defaults(isolated_user_dirs: Path) -> None:
    path = isolated_user_dirs / "config" / "ketreader" / "ketreader.ini"
    path.parent.mkdir(parents=True)
    path.write_text("[view]\ntheme=purple\nzoom=lots\nsidebar_visible=false\n", "utf-8")
    effective = resolve()
    assert (effective["theme"], effective["zoom"]) == ("system", 0)
    assert effective["sidebar_visible"] is False  # the good value in the same file is kept
    assert any("theme" in w for w in effective.warnings)


def test_unwritable_settings_folder_never_stops_the_reader(
    isolated_user_dirs: Path, qtbot: QtBot
) -> None:
    blocker = isolated_user_dirs / "config"
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the folder should be", "utf-8")
    win = make_window(qtbot)
    win.appearance.set_zoom(1)
    win.close()
    assert not win.isVisible()
    assert any("cannot create settings folder" in w for w in win.prefs.user.warnings)


def test_history_keys(window: MainWindow, qtbot: QtBot) -> None:
    window.open_section("key-takeaways")
    qtbot.keyClick(window.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.view.section_at_top() == "what-is-ketamine"
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.view.section_at_top() == "key-takeaways"
    window.build_actions()["previous-section"].trigger()
    assert window.view.section_at_top() == "the-future-of-ketamine-research"
    window.build_actions()["next-section"].trigger()
    assert window.view.section_at_top() == "key-takeaways"


def test_tab_order_and_f6(window: MainWindow, qtbot: QtBot) -> None:
    window.sidebar.setFocus()
    qtbot.keyClick(window.sidebar, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.search.bar
    qtbot.keyClick(window.search.bar, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.view
    window.build_actions()["next-pane"].trigger()
    assert QApplication.focusWidget() is window.sidebar
    window.build_actions()["next-pane"].trigger()
    assert QApplication.focusWidget() is window.search.bar
    window.build_actions()["previous-pane"].trigger()
    assert QApplication.focusWidget() is window.sidebar


def test_every_control_is_named_for_screen_readers(window: MainWindow, qtbot: QtBot) -> None:
    window.search.run("risk")  # create the results list too
    interactive = (QAbstractButton, QLineEdit, QAbstractItemView, QTextEdit)
    unnamed = [
        f"{type(w).__name__} {w.objectName()!r}"
        for w in window.findChildren(QWidget)
        if isinstance(w, interactive) and w.isVisibleTo(window) and not w.accessibleName()
    ]
    assert unnamed == []
    for widget in (window.sidebar, window.search.bar, window.view, window.search.results):
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
    dialog = ShortcutsDialog(list(window.build_actions().values()), window)
    qtbot.addWidget(dialog)
    names = [name for name, _ in dialog.rows()]
    for action in window.build_actions().values():
        if action.shortcuts():
            assert action.text().replace("&", "") in names
    assert any("F6" in keys for _, keys in dialog.rows())


def test_ctrl_q_quits_and_saves(window: MainWindow, qtbot: QtBot) -> None:
    window.open_section("pain-management")
    qtbot.keyClick(window.view, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
    assert saved().position(window.library.fingerprint) == "pain-management"


def test_export_pdf_has_pages(window: MainWindow, tmp_path: Path) -> None:
    from ketreader.render.export import printable
    from ketreader.ui.print_layout import write_pdf

    target = window.exports.export_pdf(whole=True, target=tmp_path / "guide.pdf")
    assert target is not None and target.read_bytes().startswith(b"%PDF")
    whole = printable(window.library.rendered)
    assert whole.title == "What is ketamine?"
    assert write_pdf(whole, window.library.resource, tmp_path / "again.pdf") >= 2
    window.open_section("approved-medical-uses")
    section = window.exports.export_pdf(whole=False, target=tmp_path / "section.pdf")
    assert section is not None and section.stat().st_size < target.stat().st_size
    part = printable(window.library.rendered, "approved-medical-uses")
    assert part.title.endswith("Approved medical uses")
    assert "Pain management" in part.html and "Key takeaways" not in part.html


def test_export_html_matches_the_command_line(
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = tmp_path / "guide.html"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.build_actions()["export-html"].trigger()
    main(["export", "--format", "html"])
    assert target.read_text("utf-8") == capsys.readouterr().out


def test_about_texts(tmp_path: Path) -> None:
    from tests.conftest import write_pack

    pack = load_library(GUIDE).library
    guide = about_guide_html(pack)
    for label, value in (
        ("Title", "What is ketamine?"),
        ("Version", "1.0.0"),
        ("Language", "en"),
        ("Content fingerprint", short_fingerprint(pack.fingerprint)),
    ):
        assert f"<b>{label}</b>&nbsp;&nbsp;</td><td>{value}</td>" in guide
    assert "promotional contact details" in guide  # the guide's own note, from its pack.toml
    other = load_library(write_pack(tmp_path / "o", {"a.md": "# O\n"}, title="O")).library
    assert "promotional" not in about_guide_html(other)  # another pack has no such note
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
    window.build_actions()["copy-link"].trigger()
    link = QApplication.clipboard().text()
    assert link == "ketreader://section/pain-management"
    assert section_from_link(link) == "pain-management"


def test_sidebar_toggle_is_remembered(window: MainWindow) -> None:
    window.build_actions()["toggle-sidebar"].trigger()
    assert not window.left.isVisible() and window.prefs.value("sidebar_visible") is False
    window.save_state()
    assert saved().values()["sidebar_visible"] is False


def test_theme_change_keeps_search_highlights(window: MainWindow, qtbot: QtBot) -> None:
    window.search.focus()
    qtbot.keyClicks(window.search.bar, "risk")
    qtbot.keyClick(window.search.bar, Qt.Key.Key_Return)
    before = window.search.match_label.text()
    window.appearance.choose_theme("high-contrast")
    assert window.search.match_label.text() == before
    selections = window.view.extraSelections()
    assert selections
    first = selections[0]
    assert first.cursor.selectedText().lower().startswith("risk")


def test_system_theme_follows_a_live_scheme_change(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt as QtNs

    from ketreader.ui import theme

    win = make_window(qtbot, theme="system")
    try:
        win.appearance.follow_system_scheme(QtNs.ColorScheme.Dark)
        assert PALETTES["dark"]["bg"] in win.view.document().defaultStyleSheet()
        win.appearance.follow_system_scheme(QtNs.ColorScheme.Light)
        assert PALETTES["light"]["bg"] in win.view.document().defaultStyleSheet()
        # an explicit choice ignores the system from now on
        win.appearance.choose_theme("high-contrast")
        win.appearance.follow_system_scheme(QtNs.ColorScheme.Dark)
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
    window.build_actions()["print"].trigger()
    assert pages and (tmp_path / "print.pdf").stat().st_size > 1000


@pytest.mark.parametrize("theme", ["light", "dark", "high-contrast"])
def test_search_highlights_use_the_theme_colours(qtbot: QtBot, theme: str) -> None:
    win = make_window(qtbot, theme=theme)
    win.search.run("risk")
    win.search.open_selected()
    selections = win.view.extraSelections()
    assert len(selections) > 1
    current = win.view.highlights.index
    for i, selection in enumerate(selections):
        expected = "current_bg" if i == current else "highlight_bg"
        assert selection.format.background().color().name() == PALETTES[theme][expected]
        assert selection.format.foreground().color().name() == PALETTES[theme]["highlight_fg"]
