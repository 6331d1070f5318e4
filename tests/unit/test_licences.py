"""Wiring room tests: every library an installed copy carries has its licence listed."""

from __future__ import annotations

from pathlib import Path

from ketreader.licences import ALL, owner, unlisted
from tests.conftest import REPO

RECORDED = REPO / "tests" / "data" / "bundle-linux-libraries.txt"


def recorded_bundle() -> list[str]:
    lines = RECORDED.read_text("utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def test_every_library_of_the_linux_bundle_has_a_listed_licence() -> None:
    files = recorded_bundle()
    assert len(files) > 100
    assert unlisted(files) == []
    assert owner("PySide6/Qt/lib/libQt6Gui.so.6").name == "Qt 6"  # type: ignore[union-attr]
    assert owner("nh3/nh3.abi3.so").name == "nh3"  # type: ignore[union-attr]
    assert owner("libsomething-new.so.1") is None  # a new library is noticed


def test_a_freshly_built_bundle_is_checked_too() -> None:
    bundle = REPO / "dist" / "ketreader" / "_internal"
    if not bundle.is_dir():
        return  # nothing built here; the recorded list above stands for it
    files = [str(p.relative_to(bundle)) for p in bundle.rglob("*") if p.is_file()]
    assert unlisted(files) == []


def test_windows_runtime_and_qt_names_are_known() -> None:
    for name in ("Qt6Core.dll", "vcruntime140.dll", "python311.dll", "sqlite3.dll"):
        assert owner(name) is not None, name
    assert owner("PySide6/QtCore.pyd").name == "PySide6 and Shiboken6"  # type: ignore[union-attr]


def test_components_are_named_once() -> None:
    names = [c.name for c in ALL]
    assert len(names) == len(set(names))
    assert all(c.licence for c in ALL)


def test_recorded_list_is_sorted_paths() -> None:
    files = recorded_bundle()
    assert files == sorted(files)
    assert all(not Path(f).is_absolute() for f in files)
