"""End-to-end room: the reader in a real X window, under a window manager, driven by real keys."""

from __future__ import annotations

import configparser
from pathlib import Path

from PySide6.QtGui import QImage

from tests.e2e.fixtures import StartReader, needs_x

pytestmark = needs_x

BLADDER_SECTION = "risks-of-misuse-and-long-term-concerns"


def settings(home: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(home / "config" / "ketreader" / "ketreader.ini", encoding="utf-8")
    return parser


def test_zoom_search_quit_and_restart_in_place(
    start_reader: StartReader, reader_home: Path
) -> None:
    reader = start_reader()
    reader.keys("ctrl+plus", "ctrl+equal", "ctrl+equal")
    for step in (1, 2, 3):
        reader.wait_for(f"zoom {step}")
    reader.keys("ctrl+k")
    reader.type("bladder")
    reader.wait_for(r"search \d+ results for 'bladder' .*")
    reader.keys("Return")
    reader.wait_for(f"section {BLADDER_SECTION}")
    reader.keys("ctrl+q")
    assert reader.wait_exit() == 0, reader.output()
    saved = settings(reader_home)
    assert saved.get("view", "zoom") == "3"
    assert list(saved["reading"].values())[-1] == BLADDER_SECTION

    again = start_reader()  # the same place and zoom, saved again on the way out
    assert f"section {BLADDER_SECTION}" in again.events.messages()
    again.keys("ctrl+q")
    assert again.wait_exit() == 0, again.output()
    saved = settings(reader_home)
    assert saved.get("view", "zoom") == "3"
    assert list(saved["reading"].values())[-1] == BLADDER_SECTION


def test_starts_cleanly_with_a_corrupt_settings_file(
    start_reader: StartReader, reader_home: Path
) -> None:
    ini = reader_home / "config" / "ketreader" / "ketreader.ini"
    ini.parent.mkdir(parents=True)
    ini.write_bytes(b"\x00\xff\xfe[view\nzoom=\x80\n")
    reader = start_reader()
    reader.keys("ctrl+q")
    assert reader.wait_exit() == 0
    assert "Traceback" not in reader.output()
    assert list(ini.parent.glob("ketreader.ini.unreadable-*"))


def test_starts_cleanly_when_the_settings_folder_cannot_be_created(
    start_reader: StartReader, reader_home: Path
) -> None:
    home = reader_home
    home.mkdir()
    (home / "config").write_text("a file where the config folder should be", "utf-8")
    reader = start_reader()
    reader.keys("ctrl+q")
    assert reader.wait_exit() == 0
    output = reader.output()
    assert "Traceback" not in output
    assert any(
        line.startswith("ketreader ketreader.settings WARNING: ")
        and "cannot create settings folder" in line
        for line in reader.events.lines
    ), output
    log = (home / "logs" / "ketreader.log").read_text("utf-8")
    assert "cannot create settings folder" in log


def test_paints_dark_with_theme_dark(start_reader: StartReader, tmp_path: Path) -> None:
    reader = start_reader("--theme", "dark")
    shot = QImage(str(reader.painted_screenshot(tmp_path / "dark.png")))
    # Sample the document area, right of the sidebar and below the heading.
    colour = shot.pixelColor(int(shot.width() * 0.85), int(shot.height() * 0.6))
    assert colour.lightness() < 60, colour.name()
