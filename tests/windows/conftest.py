"""Windows room: the Wine prefix, bundle and MSI that packaging/windows/wine-build.sh leaves."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ketreader import __version__
from tests.conftest import REPO

PREFIX = Path(os.environ.get("WINEPREFIX") or REPO / "build" / "wine")
BUNDLE = REPO / "dist" / "windows" / "ketreader"
MSI = REPO / "dist" / "windows" / f"ketreader-{__version__}.msi"
WINE_STUBS = REPO / "packaging" / "windows" / "wine-stubs"


def stand_in_dlls() -> set[str]:
    """The DLL names wine-build.sh compiles into the prefix's system32, lower case."""
    return {f"{source.stem.lower()}.dll" for source in WINE_STUBS.glob("*.c")}


def _missing() -> str | None:
    for tool in ("wine", "msiinfo"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    for path in (PREFIX / "system.reg", BUNDLE / "ketreader-cli.exe", MSI):
        if not path.is_file():
            return f"{path} is missing"
    return None


@pytest.fixture(scope="session")
def windows_build() -> Iterator[None]:
    """Skip (or, under KETREADER_REQUIRE_TOOLS=1, fail) when wine-build.sh has not run."""
    missing = _missing()
    if missing:
        message = f"{missing}: run packaging/windows/wine-build.sh first"
        if os.environ.get("KETREADER_REQUIRE_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    yield


def wine(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run a Windows program in the prefix, as bytes.

    Standard input from /dev/null and pipes for the output: CPython under Wine cannot use a
    terminal or a regular file as a standard handle (see wine-build.sh).
    """
    full_env = {**os.environ, "WINEPREFIX": str(PREFIX), "WINEDEBUG": "-all", **(env or {})}
    return subprocess.run(
        ["wine", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=full_env,
        timeout=180,
        check=False,
    )


def windows_path(path: Path) -> str:
    """The path as a Windows program in the prefix sees it: Wine's Z: drive is the Linux root."""
    return "Z:" + str(path.resolve()).replace("/", "\\")


def msi_file_names(msi: Path) -> set[str]:
    """Lower-case long names of the files an MSI installs."""
    rows = subprocess.run(
        ["msiinfo", "export", str(msi), "File"], capture_output=True, text=True, check=True
    ).stdout.splitlines()[3:]
    return {row.split("\t")[2].split("|")[-1].lower() for row in rows}
