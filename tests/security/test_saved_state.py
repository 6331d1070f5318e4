"""Saved window state is the user's file: crafted records never reach Qt's restore."""

from __future__ import annotations

import struct

import pytest
from pytestqt.qtbot import QtBot

from ketreader.policy import resolve
from ketreader.qt_state import GEOMETRY_MAGIC, SPLITTER_MAGIC, valid_geometry
from ketreader.settings import UserSettings
from tests.unit.ui.conftest import make_window

HUGE = 0x7FFFFFFF


def crafted_geometry() -> bytes:
    """A well-formed format 3 record whose rectangles are two thousand million pixels wide."""
    rect = struct.pack(">4i", 0, 0, HUGE, HUGE)
    head = struct.pack(">IHH", GEOMETRY_MAGIC, 3, 0)
    return head + rect * 2 + struct.pack(">iBBi", 0, 0, 0, 1000) + rect


def crafted_splitter() -> bytes:
    """A splitter record that claims two thousand million panes."""
    return struct.pack(">iiI", SPLITTER_MAGIC, 1, HUGE) + b"\0" * 16


def plant(geometry: bytes, splitter: bytes) -> None:
    settings = UserSettings(resolve().settings_file)
    settings.set_state("window", "geometry", geometry)
    settings.set_state("window", "splitter", splitter)
    assert settings.save()


@pytest.mark.parametrize(
    "geometry",
    [crafted_geometry(), b"\x01\xd9\xd0\xcb" + b"\xff" * 62, b"", b"garbage"],
    ids=["huge", "ones", "empty", "garbage"],
)
def test_a_crafted_window_state_leaves_a_usable_window(qtbot: QtBot, geometry: bytes) -> None:
    plant(geometry, crafted_splitter())
    window = make_window(qtbot)
    window.restore_window_state()
    qtbot.wait(10)
    size = window.size()
    assert 400 <= size.width() <= 4000 and 300 <= size.height() <= 4000
    sizes = window.splitter.sizes()
    assert len(sizes) == 2 and all(s >= 0 for s in sizes)
    assert window.view.isVisible()


def test_the_readers_own_saved_state_is_restored(qtbot: QtBot) -> None:
    first = make_window(qtbot)
    first.resize(700, 500)
    geometry = bytes(first.saveGeometry().data())
    assert valid_geometry(geometry)
    first.close()
    plant(geometry, bytes(first.splitter.saveState().data()))
    again = make_window(qtbot)
    again.restore_window_state()
    assert (again.width(), again.height()) == (700, 500)
