"""Security tests: a kiosk in a real X window, under a window manager, with real keys and mouse.

A curious trainee has the keyboard and the mouse, and the desktop's window manager: these
tests use the same. Policies go to a file in the test's folder, read as the system policy
through the test launcher (tests/e2e/launcher.py); the host's /etc is never touched.
"""

from __future__ import annotations

import configparser
import json
import re
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.conftest import write_pack
from tests.e2e.fixtures import Opener, StartReader, needs_cups, needs_x
from tests.e2e.harness import SCREEN, Reader
from tests.e2e.printers import QUEUE, PrintServer

pytestmark = needs_x

KIOSK = "[policy]\nkiosk = true\n"
FULL_SCREEN = f"full screen {SCREEN[0]}x{SCREEN[1]}"


def settings(home: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(home / "config" / "ketreader" / "ketreader.ini", encoding="utf-8")
    return parser


def state(reader: Reader) -> str:
    found = reader.events.latest(r"window state (.*)")
    assert found is not None
    return found.group(1)


def next_section(reader: Reader) -> str:
    reader.keys("ctrl+Next")
    return reader.wait_for(r"section (\S+)").group(1)


# -- no way out ----------------------------------------------------------------------------


def test_alt_f4_and_the_window_managers_close_do_not_end_a_kiosk(
    start_reader: StartReader, reader_home: Path
) -> None:
    reader = start_reader(policy=KIOSK)
    reader.events.wait_until(lambda: state(reader) == FULL_SCREEN, FULL_SCREEN)
    assert "_NET_WM_STATE_FULLSCREEN" in reader.x_property("_NET_WM_STATE")
    # The ways a trainee knows out of a window: none may end, shrink or leave the kiosk.
    reader.keys("ctrl+q", "F11", "Escape", "ctrl+o", "alt+F4")
    reader.wait_for("close refused: kiosk")
    reader.request_close()  # a taskbar's Close, through the window manager
    reader.wait_for("close refused: kiosk")
    place = next_section(reader)  # still answering keys, and still full screen
    assert reader.running
    assert state(reader) == FULL_SCREEN
    # No dialog (Open Pack, a confirmation) ever took the keyboard from the guide.
    focused = [m for m in reader.events.messages() if m.startswith("focus window ")]
    assert all(m.endswith("— ketreader") for m in focused), focused

    assert reader.terminate() == 0  # the system's own way: shutdown or logout
    assert list(settings(reader_home)["reading"].values())[-1] == place


def _wm_state(reader: Reader) -> str:
    return reader.session.run("xprop", "-id", reader.window, "WM_STATE", "_NET_WM_STATE")


def test_a_kiosk_minimized_by_the_window_manager_comes_back_full_screen(
    start_reader: StartReader,
) -> None:
    """Openbox's window menu (Alt+Space) offers Iconify: the desktop must not be reached."""
    reader = start_reader(policy=KIOSK)
    reader.events.wait_until(lambda: state(reader) == FULL_SCREEN, FULL_SCREEN)
    reader.session.run("xdotool", "windowminimize", reader.window)  # as Iconify asks
    reader.wait_for(r"kiosk restored: .*")
    reader.events.wait_until(
        lambda: "Normal" in _wm_state(reader) and "HIDDEN" not in _wm_state(reader),
        "the window shown again",
    )
    assert "_NET_WM_STATE_FULLSCREEN" in _wm_state(reader)
    reader.events.wait_until(lambda: state(reader) == FULL_SCREEN, FULL_SCREEN)
    assert next_section(reader)  # the keyboard is the guide's again


def test_a_window_minimized_outside_a_kiosk_stays_minimized(start_reader: StartReader) -> None:
    """The control: the same request does minimize an ordinary window."""
    reader = start_reader()
    reader.session.run("xdotool", "windowminimize", reader.window)
    reader.events.wait_until(lambda: "Iconic" in _wm_state(reader), "minimized")
    assert "kiosk restored" not in reader.events.text()


def test_alt_f4_closes_the_reader_outside_a_kiosk(start_reader: StartReader) -> None:
    """The control for the test above: the keys do reach the window manager and the window."""
    reader = start_reader()
    reader.keys("alt+F4")
    assert reader.wait_exit() == 0


def test_the_window_managers_close_ends_the_reader_outside_a_kiosk(
    start_reader: StartReader,
) -> None:
    reader = start_reader()
    reader.request_close()
    assert reader.wait_exit() == 0


def test_a_normal_start_after_a_kiosk_is_not_full_screen(
    start_reader: StartReader, reader_home: Path
) -> None:
    kiosk = start_reader(policy=KIOSK)
    kiosk.events.wait_until(lambda: state(kiosk) == FULL_SCREEN, FULL_SCREEN)
    next_section(kiosk)
    assert kiosk.terminate() == 0
    assert not settings(reader_home).has_section("window")

    (reader_home / "system-policy.ini").unlink()  # the admin takes the kiosk away
    normal = start_reader()
    assert state(normal).startswith("normal ")
    assert "_NET_WM_STATE_FULLSCREEN" not in normal.x_property("_NET_WM_STATE")


# -- locked zoom ---------------------------------------------------------------------------


def font_size(reader: Reader) -> float:
    """The reading area's font size as last reported: the zoom as it is on screen."""
    found = reader.events.latest(r"probe view font (.*)")
    assert found is not None, reader.output()
    return float(found.group(1))


def ctrl_wheel(reader: Reader, button: str) -> None:
    """Ctrl held down on the real keyboard, the real wheel turned over the reading area."""
    reader.pointer("keydown", "ctrl", "click", button, "keyup", "ctrl")


def test_ctrl_wheel_does_not_change_a_locked_zoom(
    start_reader: StartReader, reader_home: Path
) -> None:
    reader = start_reader(policy="[policy]\nkiosk = true\nzoom = 2\n")
    reader.events.wait_until(lambda: state(reader) == FULL_SCREEN, FULL_SCREEN)
    before = font_size(reader)
    ctrl_wheel(reader, "4")  # wheel up: larger
    reader.wait_for("refused change of locked zoom")
    ctrl_wheel(reader, "5")  # wheel down: the second refusal also closes the first event
    reader.wait_for("refused change of locked zoom")
    reader.keys("ctrl+plus", "ctrl+0")  # the keys are disabled: nothing to wait for, but...
    ctrl_wheel(reader, "4")  # ...this refusal comes after them
    reader.wait_for("refused change of locked zoom")

    messages = reader.events.messages()
    assert not [m for m in messages if m.startswith("zoom ")], messages
    assert font_size(reader) == before
    assert reader.terminate() == 0
    assert not settings(reader_home).has_option("view", "zoom")


def test_ctrl_wheel_zooms_when_the_zoom_is_not_locked(start_reader: StartReader) -> None:
    """The control: the same gesture does reach the reader and change its text size."""
    reader = start_reader()
    before = font_size(reader)
    ctrl_wheel(reader, "4")
    reader.wait_for("zoom 1")
    assert font_size(reader) > before


# -- print: real printers only -------------------------------------------------------------

RESTRICTED = pytest.mark.parametrize(
    "policy", [KIOSK, "[policy]\nallow_export = false\n"], ids=["kiosk", "export not allowed"]
)


class Offered(NamedTuple):
    printers: list[str]
    file_browser: str  # "shown" or "hidden"


def open_print_dialog(reader: Reader) -> Offered | None:
    """Ctrl+P, then Print in the preview if there is one, up to the dialog that prints.

    What that dialog offers once it has the keyboard; None when the reader says instead
    that there is nothing to print on.
    """
    reader.keys("ctrl+p")
    while True:
        found = reader.wait_for(r"probe dialog (\S+) (.*)|print refused: .*")
        if found.group(1) is None:
            return None
        kind, title = found.groups()
        reader.wait_for("focus window " + re.escape(title))
        if kind != "QPrintPreviewDialog":
            break
        reader.click_button("Print")
    offered = reader.events.latest(r"probe print dialog printers (\[.*\]) file browser (\w+)")
    assert offered is not None, f"{kind} is no print dialog"
    return Offered(json.loads(offered.group(1)), offered.group(2))


def file_dialogs(reader: Reader) -> list[str]:
    return [m for m in reader.events.messages() if m.startswith("probe dialog QFileDialog")]


@needs_cups
@RESTRICTED
def test_print_offers_real_printers_only(
    start_reader: StartReader, print_server: PrintServer, policy: str
) -> None:
    reader = start_reader(policy=policy, cups_server=print_server.socket)
    jobs = len(print_server.jobs())
    offered = open_print_dialog(reader)
    assert offered == Offered([QUEUE], "hidden")
    reader.click_button("Print")
    reader.wait_for("printed .*")
    assert len(print_server.jobs()) == jobs + 1  # on the printer, not into a file
    assert file_dialogs(reader) == []


@RESTRICTED
def test_print_without_a_printer_offers_no_file_instead(
    start_reader: StartReader, policy: str
) -> None:
    reader = start_reader(policy=policy)  # and no print server at all
    assert open_print_dialog(reader) is None
    assert file_dialogs(reader) == []


@needs_cups
def test_print_offers_a_file_where_export_is_allowed(
    start_reader: StartReader, print_server: PrintServer
) -> None:
    """The control: where export is allowed the probe does see the print-to-file choice, so
    its absence above is the dialog's doing."""
    reader = start_reader(cups_server=print_server.socket)
    offered = open_print_dialog(reader)
    assert offered is not None
    assert QUEUE in offered.printers
    assert any("file" in p.lower() for p in offered.printers), offered


# -- local links launch nothing ------------------------------------------------------------

LOCAL_LINKS = {"xterm": "/usr/bin/xterm", "desktop": "evil.desktop", "up": "../../etc/passwd"}
WEB = "https://example.org/"


def link_pack(folder: Path) -> Path:
    """One document per link; each link's text fills the reading area, so a click in its
    middle lands on the link whatever the fonts."""
    documents = {
        f"{name}.md": f"# {name.title()}\n\n[{' '.join([name] * 2000)}]({target})\n"
        for name, target in {**LOCAL_LINKS, "web": WEB}.items()
    }
    return write_pack(folder, documents, title="Links")


def click_every_link(reader: Reader) -> None:
    """Click the middle of each document, local links first, ending on the web link."""
    reader.events.wait_until(lambda: state(reader) == FULL_SCREEN, FULL_SCREEN)
    assert "section xterm" in reader.events.messages()
    x, y = reader.view_centre()
    # Each click a little lower than the last: two quick clicks in one place are a double
    # click, which selects a word instead of following a link.
    for step, following in enumerate(("desktop", "up", "web")):
        reader.pointer("click", "1", at=(x, y + 40 * step))
        assert next_section(reader) == following
    reader.pointer("click", "1", at=(x, y + 120))


def test_a_click_on_a_local_link_launches_nothing_in_a_kiosk(
    start_reader: StartReader, opener: Opener, tmp_path: Path
) -> None:
    pack = link_pack(tmp_path / "pack")
    reader = start_reader(
        policy=f"[policy]\nkiosk = true\ncontent = {pack}\n", path_first=opener.bin
    )
    click_every_link(reader)
    # Kiosk turns external links off: the web link is refused, and it is the last click.
    reader.wait_for(re.escape(f"external link refused: {WEB}"))
    # The local links are not even links any more: no click on them reached the window.
    refused = [m for m in reader.events.messages() if "link refused" in m]
    assert refused == [f"external link refused: {WEB}"]
    assert reader.terminate() == 0
    assert opener.calls.pending() == []


def test_a_click_on_a_local_link_launches_nothing_where_web_links_open(
    start_reader: StartReader, opener: Opener, tmp_path: Path
) -> None:
    """Web links allowed: the stand-in sees the web link, and only the web link."""
    pack = link_pack(tmp_path / "pack")
    reader = start_reader(
        policy=f"[policy]\nkiosk = true\nallow_external_links = true\ncontent = {pack}\n",
        path_first=opener.bin,
    )
    click_every_link(reader)
    reader.wait_for(re.escape("focus window Open external link?"))
    reader.click_button("Open")
    assert opener.calls.line("xdg-open") == WEB
    assert reader.terminate() == 0
    assert opener.calls.pending() == []
