"""Windows room tests: the frozen console twin under Wine writes what the Linux source does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, write_pack
from tests.windows.conftest import BUNDLE, windows_path, wine

pytestmark = pytest.mark.usefixtures("windows_build")

NON_ASCII = {
    "a.md": "# Doses ≥ 1 mg — overview\n\nText — with dashes.\n\n"
    "## Over ≥ 2 — more\n\nMore “quoted” text.\n",
}


def source_output(*args: str) -> bytes:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    return subprocess.run(
        [sys.executable, "-m", "ketreader", *args], capture_output=True, env=env, check=True
    ).stdout


# Wine takes the ANSI code page, which CPython uses for pipes, from the Unix locale.
@pytest.mark.parametrize(
    "locale",
    [
        pytest.param("C", id="cp1252"),
        pytest.param("ru_RU.UTF-8", id="cp1251"),
        pytest.param("el_GR.UTF-8", id="cp1253"),
        pytest.param("ja_JP.UTF-8", id="cp932"),
    ],
)
@pytest.mark.parametrize("extra", [[], ["--json"]], ids=["text", "json"])
def test_sections_are_utf8_whatever_the_code_page(
    tmp_path: Path, locale: str, extra: list[str]
) -> None:
    pack = write_pack(tmp_path / "pack", NON_ASCII, title="Doses ≥ 1 mg — a test")
    cli = str(BUNDLE / "ketreader-cli.exe")
    frozen = wine(cli, "sections", "--content", windows_path(pack), *extra, env={"LC_ALL": locale})
    assert frozen.returncode == 0, frozen.stderr.decode("utf-8", "replace")
    assert "Doses ≥ 1 mg — overview".encode() in frozen.stdout
    assert frozen.stdout == source_output("sections", "--content", str(pack), *extra)


def test_version_and_check_fingerprint_match_the_source() -> None:
    version = wine(str(BUNDLE / "ketreader-cli.exe"), "--version")
    assert version.stdout == source_output("--version")
    check = wine(str(BUNDLE / "ketreader-cli.exe"), "check")
    assert check.returncode == 0
    fingerprint = source_output("check").rsplit(b", fingerprint ", 1)[1]
    assert check.stdout.endswith(b", fingerprint " + fingerprint)
