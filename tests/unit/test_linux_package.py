"""Packaging room tests: the .deb installs under /usr/lib and owns no shared directory."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO

MISSING = [t for t in ("dpkg-deb",) if shutil.which(t) is None]
if MISSING and os.environ.get("KETREADER_REQUIRE_TOOLS") == "1":
    raise RuntimeError("the .deb tests need dpkg-deb")
pytestmark = pytest.mark.skipif(bool(MISSING), reason="needs dpkg-deb (Debian or Ubuntu)")

# Directories other packages share: removing ketreader must never try to remove them.
SHARED = {"./", "./usr/", "./usr/bin/", "./usr/lib/", "./usr/share/", "./opt/"}


def build_module(root: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("build", REPO / "packaging" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.ROOT = root  # type: ignore[attr-defined]
    module.DIST = root / "dist"  # type: ignore[attr-defined]
    return module


def test_deb_installs_under_usr_lib_and_links_the_command(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "dist").mkdir(parents=True)
    (root / "resources").symlink_to(REPO / "resources")
    bundle = tmp_path / "bundle"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "ketreader").write_bytes(b"\x7fELF fake")
    (bundle / "_internal" / "libQt6Core.so.6").write_bytes(b"\x7fELF fake")
    deb = build_module(root).build_deb(bundle)
    listing = subprocess.run(
        ["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    paths = {line.split()[5] for line in listing}
    assert "./opt/" not in paths and not any(p.startswith("./opt/") for p in paths)
    assert "./usr/lib/ketreader/ketreader" in paths
    link = next(line for line in listing if " ./usr/bin/ketreader " in line)
    assert link.endswith("-> /usr/lib/ketreader/ketreader")
    assert "./usr/share/applications/org.ketreader.Reader.desktop" in paths
    # Every directory the package lists is its own or one that other packages share.
    for path in paths:
        if path.endswith("/") and path not in SHARED:
            assert "ketreader" in path or path.startswith(("./usr/share/", "./usr/lib/")), path
