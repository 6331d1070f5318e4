"""Windows room tests: MSI public properties write the room's policy under HKLM, and go."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO
from tests.windows.conftest import MSI, windows_path, wine

pytestmark = pytest.mark.usefixtures("windows_build")

KEY = r"HKLM\Software\Policies\ketreader"
INSTALLED_CLI = r"C:\Program Files\ketreader\ketreader-cli.exe"


def policy_properties() -> ModuleType:
    path = REPO / "packaging" / "policy_properties.py"
    spec = importlib.util.spec_from_file_location("policy_properties", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def registry_values(key: str) -> dict[str, tuple[str, str]] | None:
    """name: (type, data) as `reg query` prints them; None when the key does not exist."""
    query = wine("reg", "query", key)
    if query.returncode != 0:
        return None
    values = {}
    for line in query.stdout.decode("utf-8").splitlines():
        parts = line.strip().split(None, 2)
        if len(parts) >= 2 and parts[1].startswith("REG_"):
            values[parts[0]] = (parts[1], parts[2] if len(parts) == 3 else "")
    return values


@pytest.fixture
def install(tmp_path: Path) -> Iterator[list[str]]:
    """Install the MSI with the properties the test appends; uninstall it afterwards."""
    properties: list[str] = []
    yield properties
    log = tmp_path / "uninstall.log"
    uninstall = wine("msiexec", "/x", windows_path(MSI), "/qn", "/l*v", windows_path(log))
    assert uninstall.returncode == 0, log.read_text("utf-8", "replace")[-2000:]
    assert registry_values(KEY) is None


def msiexec_install(properties: list[str], log: Path) -> None:
    done = wine("msiexec", "/i", windows_path(MSI), "/qn", *properties, "/l*v", windows_path(log))
    assert done.returncode == 0, log.read_text("utf-8", "replace")[-2000:]


def test_one_line_configures_a_room(install: list[str], tmp_path: Path) -> None:
    install += ["KIOSK=1", "RESETONSTART=1", "THEME=high-contrast", "ALLOWPRINT=0"]
    msiexec_install(install, tmp_path / "install.log")
    # Only what was given: the other keys stay unset, so their defaults (or a GPO) apply.
    assert registry_values(KEY) == {
        "kiosk": ("REG_DWORD", "0x1"),
        "reset_on_start": ("REG_DWORD", "0x1"),
        "theme": ("REG_SZ", "high-contrast"),
        "allow_print": ("REG_DWORD", "0x0"),
    }
    # And the installed reader takes them as the machine's locked policy.
    shown = wine(INSTALLED_CLI, "policy", "--show", "--json")
    assert shown.returncode == 0, shown.stderr.decode("utf-8", "replace")
    table = json.loads(shown.stdout)
    assert {k: table[k]["value"] for k in ("kiosk", "reset_on_start", "theme", "allow_print")} == {
        "kiosk": True,
        "reset_on_start": True,
        "theme": "high-contrast",
        "allow_print": False,
    }
    assert table["kiosk"]["source"] == "policy (HKLM)" and table["kiosk"]["locked"]
    assert table["allow_export"]["source"] == "default"


PACK_PATH = r"D:\ketreader\packs\what-is-ketamine-2026"
# One sample per property: a key added to policy_properties.py without a sample fails.
SAMPLES = {
    "kiosk": ("1", "0x1"),
    "reset_on_start": ("0", "0x0"),
    "allow_print": ("1", "0x1"),
    "allow_export": ("0", "0x0"),
    "allow_open_pack": ("0", "0x0"),
    "allow_external_links": ("1", "0x1"),
    "allow_read_aloud": ("0", "0x0"),
    "content": (PACK_PATH, PACK_PATH),
    "theme": ("dark", "dark"),
    "zoom": ("-2", "0xfffffffe"),
}


def test_every_policy_property_is_written_with_its_type(install: list[str], tmp_path: Path) -> None:
    table = policy_properties().POLICY_PROPERTIES
    assert {entry.key for entry in table} == set(SAMPLES)
    install += [f"{entry.name}={SAMPLES[entry.key][0]}" for entry in table]
    msiexec_install(install, tmp_path / "install.log")
    assert registry_values(KEY) == {
        entry.key: (entry.kind, SAMPLES[entry.key][1]) for entry in table
    }
