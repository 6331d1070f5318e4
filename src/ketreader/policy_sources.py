"""Policy room: reading one policy source (an INI file or a managed-preferences plist); no Qt."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Literal, NamedTuple

Tier = Literal["policy", "recommended"]
MAX_POLICY_BYTES = 64 * 1024


class PolicySource(NamedTuple):
    """What one place says: raw values that lock, raw values that only set defaults.

    ``error`` is set when the place exists but cannot be read at all: the reader then locks
    everything down rather than guess. ``admin`` is False for places a user can write
    (``--policy FILE``, a policy beside a portable program): those may only add restrictions.
    """

    name: str
    locked: dict[str, object]
    recommended: dict[str, object]
    error: str | None = None
    admin: bool = True


class PolicyFileError(Exception):
    """A policy file named on the command line does not exist."""


def decode_policy(raw: bytes) -> str:
    """Text of a policy file: UTF-8 (with or without BOM) or UTF-16 with a BOM.

    Notepad and PowerShell's Out-File write UTF-16 or a UTF-8 BOM; both are admins' files.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    return raw.decode("utf-8-sig")


def parse_policy_ini(text: str) -> tuple[dict[str, object], dict[str, object], list[str]]:
    """``[policy]`` values (locked) and ``[recommended]`` ones, plus complaints.

    Lines before any section and in unknown sections count as ``[policy]``: reading an
    admin's line as a lock is the mistake that fails closed.
    """
    tiers: dict[str, dict[str, object]] = {"policy": {}, "recommended": {}}
    complaints: list[str] = []
    tier = "policy"
    for number, raw_line in enumerate(text.splitlines(), 1):
        line = raw_line.strip()
        if not line or line[0] in ";#":
            continue
        if line.startswith("["):
            name = line.strip("[] \t").lower()
            if not line.endswith("]"):
                raise ValueError(f"line {number}: unclosed section header")
            tier = name if name in tiers else "policy"
            if name not in tiers:
                complaints.append(f"line {number}: unknown section [{name}] read as [policy]")
            continue
        key, sep, value = line.partition("=")
        if not sep:
            key, sep, value = line.partition(":")
        if not sep:
            raise ValueError(f"line {number}: expected key = value")
        value = value.split(" ;", 1)[0].split("\t;", 1)[0]  # a trailing comment
        tiers[tier][key.strip().lower()] = value.strip()
    return tiers["policy"], tiers["recommended"], complaints


def read_policy_file(path: Path, *, admin: bool, required: bool = False) -> PolicySource | None:
    """The policy INI at ``path``; None when absent (unless ``required``: then an error)."""
    name = str(path)
    from ketreader.bounded_read import read_at_most

    try:
        # A FIFO in its place would block the start for ever: it is no file, so it locks down.
        raw = read_at_most(path, MAX_POLICY_BYTES + 1, regular_only=False)
    except FileNotFoundError:
        if required:
            raise PolicyFileError(f"{path}: policy file not found") from None
        return None
    except IsADirectoryError:
        return PolicySource(name, {}, {}, "is a folder, not a file", admin)
    except OSError as exc:
        return PolicySource(name, {}, {}, f"cannot be read ({exc.strerror or exc})", admin)
    if len(raw) > MAX_POLICY_BYTES:
        return PolicySource(name, {}, {}, f"larger than {MAX_POLICY_BYTES} bytes", admin)
    try:
        locked, recommended, complaints = parse_policy_ini(decode_policy(raw))
    except UnicodeDecodeError as exc:
        return PolicySource(name, {}, {}, f"not UTF-8 or UTF-16 (byte {exc.start})", admin)
    except ValueError as exc:
        return PolicySource(name, {}, {}, str(exc), admin)
    if any("\x00" in f"{k}{v}" for tier in (locked, recommended) for k, v in tier.items()):
        return PolicySource(name, {}, {}, "contains NUL characters", admin)
    source = PolicySource(name, locked, recommended, None, admin)
    if complaints:
        from ketreader.log import get

        for complaint in complaints:
            get("policy").warning("%s: %s", path, complaint)
    return source


def read_managed_preferences(root: Path, bundle_id: str, user: str) -> list[PolicySource]:
    """macOS configuration profiles: the machine's plist, then the user's, both locked.

    An MDM installs a profile's payload as ``/Library/Managed Preferences/<bundle id>.plist``
    and per user under ``/Library/Managed Preferences/<user>/``; only root can write there.
    """
    import plistlib

    found: list[PolicySource] = []
    for path in (root / f"{bundle_id}.plist", root / user / f"{bundle_id}.plist"):
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            continue
        except OSError as exc:
            found.append(PolicySource(str(path), {}, {}, f"cannot be read ({exc.strerror})"))
            continue
        try:
            data = plistlib.loads(raw)
        except (plistlib.InvalidFileException, ValueError, OverflowError) as exc:
            found.append(PolicySource(str(path), {}, {}, f"not a property list ({exc})"))
            continue
        if not isinstance(data, dict):
            found.append(PolicySource(str(path), {}, {}, "not a dictionary of settings"))
            continue
        found.append(PolicySource(str(path), {str(k).lower(): v for k, v in data.items()}, {}))
    return found
