"""Windows room tests: the Wine stand-in DLLs stay in the prefix, out of the bundle and MSI."""

from __future__ import annotations

import pytest

from tests.windows.conftest import BUNDLE, MSI, PREFIX, msi_file_names, stand_in_dlls

pytestmark = pytest.mark.usefixtures("windows_build")


def test_stand_ins_are_in_the_prefix_system32() -> None:
    names = stand_in_dlls()
    system32 = {p.name.lower() for p in (PREFIX / "drive_c" / "windows" / "system32").iterdir()}
    assert names and names <= system32
    beside_python = {p.name.lower() for p in (PREFIX / "drive_c" / "python313").iterdir()}
    assert not names & beside_python


def test_no_stand_in_is_in_the_bundle() -> None:
    bundled = sorted(str(p) for p in BUNDLE.rglob("*") if p.name.lower() in stand_in_dlls())
    assert bundled == []
    # The bundle is whole: what it would carry a stand-in beside is there.
    assert (BUNDLE / "_internal" / "PySide6" / "Qt6Core.dll").is_file()


def test_no_stand_in_is_in_the_msi() -> None:
    files = msi_file_names(MSI)
    assert {"ketreader.exe", "ketreader-cli.exe", "qt6core.dll"} <= files
    assert not stand_in_dlls() & files
