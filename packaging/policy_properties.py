"""Packaging room: the admin policy values an MSI install line sets, one row per policy key."""

from __future__ import annotations

from typing import Literal, NamedTuple

RegistryType = Literal["REG_DWORD", "REG_SZ"]
# Machine-wide and locked: where Group Policy and Intune write an application's policy.
POLICY_KEY = r"Software\Policies\ketreader"


class PolicyProperty(NamedTuple):
    key: str  # the registry value name, the same as the policy file's key
    name: str  # the MSI public property (upper case, so msiexec takes it from its command line)
    kind: RegistryType  # REG_DWORD for booleans (0/1) and integers, REG_SZ for strings


# The one list build.py generates the MSI's properties and registry values from; meant to be
# fed later from the product's settings schema.
POLICY_PROPERTIES: list[PolicyProperty] = [
    PolicyProperty("kiosk", "KIOSK", "REG_DWORD"),
    PolicyProperty("reset_on_start", "RESETONSTART", "REG_DWORD"),
    PolicyProperty("allow_print", "ALLOWPRINT", "REG_DWORD"),
    PolicyProperty("allow_export", "ALLOWEXPORT", "REG_DWORD"),
    PolicyProperty("allow_open_pack", "ALLOWOPENPACK", "REG_DWORD"),
    PolicyProperty("allow_external_links", "ALLOWEXTERNALLINKS", "REG_DWORD"),
    PolicyProperty("allow_read_aloud", "ALLOWREADALOUD", "REG_DWORD"),
    PolicyProperty("content", "CONTENT", "REG_SZ"),
    PolicyProperty("theme", "THEME", "REG_SZ"),
    PolicyProperty("zoom", "ZOOM", "REG_DWORD"),
]
