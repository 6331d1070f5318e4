"""Docs and packaging tests: settings.md and the Group Policy templates follow the schema."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from ketreader.config_schema import POLICY_KEYS, SETTINGS, USER_KEYS
from ketreader.policy_registry import POLICY_KEY, RECOMMENDED_KEY
from tests.conftest import REPO

NS = {"p": "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"}
ADMX = REPO / "packaging" / "windows" / "policy" / "ketreader.admx"
ADML = REPO / "packaging" / "windows" / "policy" / "en-US" / "ketreader.adml"


@pytest.mark.parametrize("script", ["scripts/settings_docs.py", "packaging/policy_templates.py"])
def test_generated_files_are_current(script: str) -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / script), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_settings_doc_lists_every_key_with_its_values() -> None:
    text = (REPO / "docs" / "settings.md").read_text("utf-8")
    for setting in SETTINGS:
        row = next(line for line in text.splitlines() if line.startswith(f"| `{setting.key}` |"))
        for choice in setting.choices:
            assert f"`{choice}`" in row
        if setting.kind == "int":
            assert f"{setting.low} … {setting.high}" in row


def test_every_policy_key_has_a_locked_policy_of_its_type() -> None:
    root = ET.parse(ADMX).getroot()
    policies = {p.get("name"): p for p in root.iterfind("p:policies/p:policy", NS)}
    for setting in SETTINGS:
        if not setting.lockable:
            assert setting.key not in policies
            continue
        policy = policies[setting.key]
        assert policy.get("key") == POLICY_KEY
        assert policy.find("p:parentCategory", NS).get("ref") == "ketreader"  # type: ignore[union-attr]
        if setting.kind == "bool":
            assert policy.get("valueName") == setting.key
            enabled = policy.find("p:enabledValue/p:decimal", NS)
            disabled = policy.find("p:disabledValue/p:decimal", NS)
            assert (enabled.get("value"), disabled.get("value")) == ("1", "0")  # type: ignore[union-attr]
        elif setting.kind == "choice":
            enum = policy.find("p:elements/p:enum", NS)
            assert enum is not None and enum.get("valueName") == setting.key
            values = [v.text for v in enum.iterfind("p:item/p:value/p:string", NS)]
            assert tuple(values) == setting.choices
        elif setting.kind == "int":
            enum = policy.find("p:elements/p:enum", NS)
            assert enum is not None
            numbers = [
                int(str(v.get("value"))) for v in enum.iterfind("p:item/p:value/p:decimal", NS)
            ]
            signed = [v - 2**32 if v >= 2**31 else v for v in numbers]
            assert isinstance(setting.low, int) and isinstance(setting.high, int)
            assert signed == list(range(setting.low, setting.high + 1))
        else:
            text = policy.find("p:elements/p:text", NS)
            assert text is not None and text.get("valueName") == setting.key
    assert set(POLICY_KEYS) <= set(policies)


def test_recommended_tier_covers_what_users_can_change() -> None:
    root = ET.parse(ADMX).getroot()
    recommended = {
        p.get("name"): p
        for p in root.iterfind("p:policies/p:policy", NS)
        if p.get("key") == RECOMMENDED_KEY
    }
    expected = {f"{k}_recommended" for k in USER_KEYS if k in POLICY_KEYS}
    assert set(recommended) == expected
    for policy in recommended.values():
        assert policy.find("p:parentCategory", NS).get("ref") == "ketreader_recommended"  # type: ignore[union-attr]


def test_every_string_and_presentation_the_admx_names_exists() -> None:
    admx = ADMX.read_text("utf-8")
    adml = ET.parse(ADML).getroot()
    strings = {s.get("id") for s in adml.iterfind(".//p:stringTable/p:string", NS)}
    presentations = {
        p.get("id") for p in adml.iterfind(".//p:presentationTable/p:presentation", NS)
    }
    assert set(re.findall(r"\$\(string\.([^)]+)\)", admx)) <= strings
    assert set(re.findall(r"\$\(presentation\.([^)]+)\)", admx)) <= presentations
    assert strings and presentations
