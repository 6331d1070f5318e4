"""Policy room: Group Policy and Intune values from the Windows registry; no Qt.

``HKLM\\Software\\Policies\\ketreader`` locks machine-wide, ``HKCU\\...`` per user; their
``Recommended`` subkeys set defaults the user may change, as Chrome's and Edge's do. Value
names equal the policy keys: REG_DWORD for booleans and numbers, REG_SZ for text.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping

from ketreader.config_schema import BY_KEY
from ketreader.policy_sources import PolicySource

POLICY_KEY = r"Software\Policies\ketreader"
RECOMMENDED_KEY = POLICY_KEY + r"\Recommended"
HIVES = ("HKLM", "HKCU")  # highest precedence first

REG_SZ, REG_EXPAND_SZ, REG_DWORD = 1, 2, 4

# (hive, key path) -> {value name: (data, registry type)}; None when the key does not exist.
RegistryReader = Callable[[str, str], Mapping[str, tuple[object, int]] | None]


class RegistryError(Exception):
    """A key exists but cannot be read."""


def read_registry(hive: str, key: str) -> Mapping[str, tuple[object, int]] | None:
    """Every value of a registry key, through winreg (Windows only)."""
    if sys.platform != "win32":  # also tells type checkers elsewhere to skip what follows
        raise RegistryError("the registry exists only on Windows")
    import winreg

    root = {"HKLM": winreg.HKEY_LOCAL_MACHINE, "HKCU": winreg.HKEY_CURRENT_USER}[hive]
    try:
        handle = winreg.OpenKey(root, key, 0, winreg.KEY_READ)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise RegistryError(str(exc)) from None
    values: dict[str, tuple[object, int]] = {}
    with handle:
        index = 0
        while True:
            try:
                name, data, kind = winreg.EnumValue(handle, index)
            except OSError:  # ERROR_NO_MORE_ITEMS
                break
            values[str(name).lower()] = (data, int(kind))
            index += 1
    return values


def _typed(values: Mapping[str, tuple[object, int]]) -> dict[str, object]:
    """Registry data as policy values; a value of the wrong registry type reads as unreadable.

    The type is the one the key's setting takes (REG_DWORD for booleans and numbers, REG_SZ
    for text), not merely one the policy uses: a REG_SZ "0" for kiosk is not a kiosk turned
    off but a mistake, and fails closed like any other unreadable value.
    """
    out: dict[str, object] = {}
    for name, (data, kind) in values.items():
        setting = BY_KEY.get(name)
        number = setting is not None and setting.kind in ("bool", "int")
        text = setting is not None and not number
        if (kind == REG_DWORD and isinstance(data, int) and not text) or (
            kind in (REG_SZ, REG_EXPAND_SZ) and isinstance(data, str) and not number
        ):
            out[name] = data
        else:
            out[name] = _WrongType(kind)
    return out


class _WrongType:
    """Stands for a registry value of a type the policy does not use (QWORD, binary...)."""

    def __init__(self, kind: int) -> None:
        self.kind = kind

    def __str__(self) -> str:
        return f"<registry type {self.kind}>"


def registry_sources(reader: RegistryReader | None = None) -> list[PolicySource]:
    """HKLM then HKCU, each with its locked values and its Recommended ones."""
    if reader is None:
        if sys.platform != "win32":
            return []
        reader = read_registry
    sources: list[PolicySource] = []
    for hive in HIVES:
        try:
            locked = reader(hive, POLICY_KEY)
            recommended = reader(hive, RECOMMENDED_KEY)
        except RegistryError as exc:
            sources.append(PolicySource(hive, {}, {}, f"cannot be read ({exc})"))
            continue
        if locked is None and recommended is None:
            continue
        sources.append(PolicySource(hive, _typed(locked or {}), _typed(recommended or {})))
    return sources
