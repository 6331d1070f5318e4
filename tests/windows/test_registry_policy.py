"""Windows room tests: the frozen reader reads its policy from the registry, as GPO writes it."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.windows.conftest import BUNDLE, wine

pytestmark = pytest.mark.usefixtures("windows_build")

MACHINE = r"HKLM\Software\Policies\ketreader"
USER = r"HKCU\Software\Policies\ketreader"
CLI = str(BUNDLE / "ketreader-cli.exe")


def reg(*args: str) -> None:
    done = wine("reg", *args, "/f")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")


@pytest.fixture
def clean_policy_keys() -> Iterator[None]:
    yield
    for key in (MACHINE, USER):
        wine("reg", "delete", key, "/f")


def policy_table() -> dict[str, dict[str, object]]:
    shown = wine(CLI, "policy", "--show", "--json")
    assert shown.returncode == 0, shown.stderr.decode("utf-8", "replace")
    table: dict[str, dict[str, object]] = json.loads(shown.stdout)
    return table


def test_a_machine_policy_value_locks_and_names_its_hive(clean_policy_keys: None) -> None:
    reg("add", MACHINE, "/v", "kiosk", "/t", "REG_DWORD", "/d", "1")
    table = policy_table()
    assert table["kiosk"] == {"value": True, "source": "policy (HKLM)", "locked": True}
    # A kiosk turns external links off unless the policy says otherwise.
    assert table["allow_external_links"]["value"] is False


def test_recommended_values_and_the_user_hive(clean_policy_keys: None) -> None:
    reg("add", MACHINE + r"\Recommended", "/v", "theme", "/t", "REG_SZ", "/d", "dark")
    reg("add", USER, "/v", "allow_print", "/t", "REG_DWORD", "/d", "0")
    reg("add", USER, "/v", "zoom", "/t", "REG_DWORD", "/d", "0xfffffffe")
    table = policy_table()
    assert table["theme"] == {"value": "dark", "source": "recommended (HKLM)", "locked": False}
    assert table["allow_print"] == {"value": False, "source": "policy (HKCU)", "locked": True}
    assert table["zoom"]["value"] == -2


def test_a_value_of_the_wrong_type_fails_closed(clean_policy_keys: None) -> None:
    reg("add", MACHINE, "/v", "allow_export", "/t", "REG_SZ", "/d", "perhaps")
    table = policy_table()
    assert table["allow_export"] == {"value": False, "source": "policy (HKLM)", "locked": True}


def test_a_number_written_as_text_fails_closed(clean_policy_keys: None) -> None:
    # deployment.md: booleans and numbers are REG_DWORD, and "a value of another type takes
    # its most restrictive value". A REG_SZ "0" for kiosk is such a value: it must not switch
    # the kiosk off, however readable the text is.
    reg("add", MACHINE, "/v", "kiosk", "/t", "REG_SZ", "/d", "0")
    reg("add", MACHINE, "/v", "allow_print", "/t", "REG_SZ", "/d", "1")
    table = policy_table()
    assert table["kiosk"] == {"value": True, "source": "policy (HKLM)", "locked": True}
    assert table["allow_print"] == {"value": False, "source": "policy (HKLM)", "locked": True}
