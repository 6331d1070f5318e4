"""Packaging room: the admin policy values an MSI install line sets, one row per policy key."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from ketreader.config_schema import SETTINGS
from ketreader.policy_registry import POLICY_KEY

RegistryType = Literal["REG_DWORD", "REG_SZ"]
__all__ = ["POLICY_KEY", "POLICY_PROPERTIES", "PolicyProperty"]


class PolicyProperty(NamedTuple):
    key: str  # the registry value name, the same as the policy file's key
    name: str  # the MSI public property (upper case, so msiexec takes it from its command line)
    kind: RegistryType  # REG_DWORD for booleans (0/1) and integers, REG_SZ for strings


# The one list build.py generates the MSI's properties and registry values from, read off the
# product's settings schema: every setting that has an MSI property, with the registry type
# the reader expects of it (ketreader.policy_registry).
POLICY_PROPERTIES: list[PolicyProperty] = [
    PolicyProperty(s.key, s.msi_property, "REG_DWORD" if s.kind in ("bool", "int") else "REG_SZ")
    for s in SETTINGS
    if s.msi_property
]
