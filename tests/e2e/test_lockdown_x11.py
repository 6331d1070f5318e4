"""End-to-end room: an unreadable policy locks the reader down and says so on the screen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage

from tests.e2e.fixtures import StartReader, needs_x
from tests.e2e.harness import SCREEN, Reader

pytestmark = needs_x

UNREADABLE = "[policy\nkiosk = false\n"  # an unclosed section header: nothing can be read
BANNER_BG = QColor("#fff4d6")


def full_screen_shot(reader: Reader, path: Path) -> QImage:
    """The window once it is full screen and painted so."""
    full = f"window state full screen {SCREEN[0]}x{SCREEN[1]}"
    reader.events.wait_until(lambda: reader.events.latest(full) is not None, full)
    return QImage(str(reader.painted_screenshot(path, "window state .*")))


def view_top(reader: Reader) -> int:
    found = reader.events.latest(r"probe view \d+ (\d+) \d+ \d+")
    assert found is not None
    return int(found.group(1))


def banner_rect(reader: Reader) -> QRect | None:
    found = reader.events.latest(r"probe banner (\d+) (\d+) (\d+) (\d+)")
    return None if found is None else QRect(*(int(n) for n in found.groups()))


def share(shot: QImage, area: QRect, test: Callable[[QColor], bool]) -> float:
    """The share of pixels in ``area`` for which ``test(colour)`` holds, every 2nd pixel."""
    hits = total = 0
    for y in range(area.top(), area.bottom() + 1, 2):
        for x in range(area.left(), area.right() + 1, 2):
            total += 1
            hits += test(shot.pixelColor(x, y))
    return hits / max(total, 1)


def is_banner(colour: QColor) -> bool:
    return (
        abs(colour.red() - BANNER_BG.red()) <= 8
        and abs(colour.green() - BANNER_BG.green()) <= 8
        and abs(colour.blue() - BANNER_BG.blue()) <= 8
    )


def test_an_unreadable_policy_shows_the_lockdown_banner(
    start_reader: StartReader, reader_home: Path, tmp_path: Path
) -> None:
    reader = start_reader(policy=UNREADABLE)
    shot = full_screen_shot(reader, tmp_path / "lockdown.png")
    area = banner_rect(reader)
    assert area is not None, reader.output()
    # Across the whole window, above the reading area, and tall enough for three lines.
    assert area.left() == 0 and area.width() == shot.width()
    assert area.bottom() < view_top(reader)
    assert area.height() >= 3 * 12
    # Painted: mostly the banner's colour, with dark text on it.
    inner = area.adjusted(0, 0, 0, -3)  # without the rule under it
    assert share(shot, inner, is_banner) > 0.6
    assert share(shot, inner, lambda c: c.lightness() < 100) > 0.01
    # Below it, the reader's own colours: the banner is a strip, not a wash over everything.
    below = QRect(0, view_top(reader) + 20, shot.width(), 40)
    assert share(shot, below, is_banner) < 0.05
    # And everything is locked: kiosk, full screen, no way out.
    assert "lockdown banner shown: " in "\n".join(reader.events.messages())
    reader.keys("alt+F4")
    reader.wait_for("close refused: kiosk")


def test_a_readable_policy_shows_no_banner(start_reader: StartReader, tmp_path: Path) -> None:
    """The control: the same look for a banner finds none when the policy is fine."""
    reader = start_reader(policy="[policy]\nkiosk = true\n")
    shot = full_screen_shot(reader, tmp_path / "kiosk.png")
    assert banner_rect(reader) is None
    # Where the banner would be: between the search bar and the reading area.
    assert share(shot, QRect(0, 49, shot.width(), 64), is_banner) < 0.05
