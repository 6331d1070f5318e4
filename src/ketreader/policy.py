"""Policy room: who decides each setting, and the effective table that results; no Qt.

Lowest to highest: defaults, recommended values, the user's settings, the command line,
then the admin policy, which locks. Every policy place is read; none replaces another. Places
a user can write (``--policy FILE``, a policy file beside a portable program) may only add
restrictions. A policy place that exists but cannot be read locks everything down.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple

from ketreader import paths
from ketreader.config_schema import BY_KEY, SETTINGS, Setting, Value, parse, spell
from ketreader.log import get
from ketreader.policy_registry import RegistryReader, registry_sources
from ketreader.policy_sources import (
    PolicyFileError,
    PolicySource,
    read_managed_preferences,
    read_policy_file,
)
from ketreader.settings import UserSettings

_log = get("policy")

__all__ = ["Effective", "Entry", "PolicyEnvironment", "PolicyFileError", "resolve"]


class Entry(NamedTuple):
    value: Value
    source: str
    locked: bool = False


class Effective:
    """Every setting with its value, where the value came from, and whether it is locked."""

    def __init__(
        self,
        entries: dict[str, Entry],
        settings_file: Path,
        portable: bool,
        warnings: list[str],
        lockdown: str | None = None,
        user_settings: UserSettings | None = None,
    ) -> None:
        self.entries = entries
        self.settings_file = settings_file
        self.portable = portable
        self.warnings = warnings
        self.lockdown = lockdown  # why everything is locked, to show on screen
        # The user's file as read for this table: the window writes through the same object.
        self.user_settings = user_settings or UserSettings(settings_file)

    def __getitem__(self, key: str) -> Value:
        return self.entries[key].value

    def flag(self, key: str) -> bool:
        return bool(self.entries[key].value)

    def locked(self, key: str) -> bool:
        return self.entries[key].locked

    def as_json(self) -> dict[str, dict[str, object]]:
        return {
            k: {"value": e.value, "source": e.source, "locked": e.locked}
            for k, e in self.entries.items()
        }

    def lines(self) -> list[str]:
        """``key = value  [source] (locked)``, values spelled as in the INI file."""
        return [
            f"{key} = {spell(e.value)}  [{e.source}]" + (" (locked)" if e.locked else "")
            for key, e in self.entries.items()
        ]


class PolicyEnvironment(NamedTuple):
    """Where policy is looked for. Tests build their own; nothing a user sets can change it."""

    system_files: tuple[Path, ...]
    program_dir: Path
    registry: RegistryReader | None = None
    managed_root: Path | None = None
    user_name: str = ""


def environment() -> PolicyEnvironment:
    """The real places for this platform."""
    managed = paths.MANAGED_PREFERENCES if sys.platform == "darwin" else None
    return PolicyEnvironment(
        paths.system_policy_files(), paths.program_dir(), None, managed, _user_name(managed)
    )


def _user_name(managed: Path | None) -> str:
    if managed is None:
        return ""
    import getpass  # only with a managed place: it brings termios, for nothing at start-up

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def gather_sources(env: PolicyEnvironment, policy_file: str | None) -> list[PolicySource]:
    """Every policy place that exists, highest precedence first."""
    sources = registry_sources(env.registry)
    if env.managed_root is not None:
        sources += read_managed_preferences(env.managed_root, paths.BUNDLE_ID, env.user_name)
    for path in env.system_files:
        found = read_policy_file(path, admin=True)
        if found is not None:
            sources.append(found)
    beside = read_policy_file(env.program_dir / paths.POLICY_FILE, admin=False)
    if beside is not None:
        sources.append(beside)
    if policy_file:
        named = read_policy_file(Path(policy_file), admin=False, required=True)
        assert named is not None
        sources.append(named._replace(name=f"--policy {policy_file}"))
    return sources


def _read(setting: Setting, raw: object, where: str, warnings: list[str]) -> Value:
    """A policy value; an unreadable one fails closed to the setting's restrictive value."""
    try:
        return parse(setting, raw)
    except ValueError as exc:
        fallback = setting.restrictive if setting.restrictive is not None else setting.default
        _warn(
            warnings,
            f"{where}: bad value for policy key {setting.key!r} ({exc}); using"
            f" {spell(fallback) or 'empty'}",
        )
        return fallback


def _warn(warnings: list[str], message: str) -> None:
    warnings.append(message)
    _log.warning("%s", message)


def _known(key: str, where: str, warnings: list[str]) -> Setting | None:
    setting = BY_KEY.get(key)
    if setting is None or not setting.lockable:
        _warn(warnings, f"{where}: unknown policy key {key!r} ignored")
        return None
    return setting


def _locks(sources: list[PolicySource], warnings: list[str]) -> dict[str, Entry]:
    """The locked values every policy place adds up to."""
    locks: dict[str, Entry] = {}
    for source in (s for s in sources if s.admin):
        for key, raw in source.locked.items():
            setting = _known(key, source.name, warnings)
            if setting is None:
                continue
            value = _read(setting, raw, source.name, warnings)
            held = locks.get(key)
            # A higher place's value stands, except that a restriction anywhere wins.
            if held is None or (
                setting.restrictive is not None
                and value == setting.restrictive
                and held.value != setting.restrictive
            ):
                locks[key] = Entry(value, f"policy ({source.name})", True)
    _imply_kiosk(locks)
    # Places a user can write: restrictions first, so that a kiosk or a closed Open Pack they
    # add is known before any of them names a pack.
    user_places = [
        (source, key, raw)
        for source in sources
        if not source.admin
        for key, raw in source.locked.items()
    ]
    user_places.sort(key=lambda item: BY_KEY[item[1]].kind != "bool" if item[1] in BY_KEY else 1)
    implied = False
    for source, key, raw in user_places:
        setting = _known(key, source.name, warnings)
        if setting is None:
            continue
        if setting.kind != "bool" and not implied:
            _imply_kiosk(locks)
            implied = True
        value = _read(setting, raw, source.name, warnings)
        held = locks.get(key)
        if setting.kind == "bool":
            if value == setting.restrictive and (held is None or held.value != value):
                locks[key] = Entry(value, f"policy ({source.name})", True)
            elif value != setting.restrictive:
                _note_ignored(warnings, source.name, key, "it can only add restrictions")
        elif held is not None:
            continue
        elif key == "content" and not _lock_is(locks, "allow_open_pack", default=True):
            # Choosing the pack is opening a pack: not for a place the user can write.
            _note_ignored(warnings, source.name, key, "opening other packs is disabled")
        else:
            locks[key] = Entry(value, f"policy ({source.name})", True)
    _imply_kiosk(locks)
    return locks


def _imply_kiosk(locks: dict[str, Entry]) -> None:
    """A kiosk is the trainee's whole screen: nothing leaves it unless the policy says so."""
    if _lock_is(locks, "kiosk", default=False):
        for key in ("allow_external_links", "allow_open_pack"):
            if key not in locks:
                locks[key] = Entry(False, "policy (kiosk)", True)


def _lock_is(locks: dict[str, Entry], key: str, *, default: bool) -> bool:
    """Whether a boolean the policy may lock is on; ``default`` when it is not locked."""
    entry = locks.get(key)
    return default if entry is None else bool(entry.value)


def _note_ignored(warnings: list[str], where: str, key: str, why: str) -> None:
    _warn(warnings, f"{where}: {key!r} ignored: {why}")


def _lockdown(reason: str) -> dict[str, Entry]:
    return {
        s.key: Entry(s.restrictive if s.restrictive is not None else s.default, reason, True)
        for s in SETTINGS
        if s.lockable
    }


def resolve(
    *,
    policy_file: str | None = None,
    theme: str | None = None,
    content: str | None = None,
    portable: bool = False,
    env: PolicyEnvironment | None = None,
) -> Effective:
    """The effective settings, reading the user's settings file once.

    Raises PolicyFileError when ``policy_file`` does not exist: a test of a policy must not
    quietly run without it.
    """
    env = env or environment()
    warnings: list[str] = []
    settings_file, is_portable = settings_location(portable, env.program_dir, warnings)
    user_settings = UserSettings(settings_file)
    sources = gather_sources(env, policy_file)
    entries = {s.key: Entry(s.default, "default") for s in SETTINGS}

    for source in reversed(sources):  # lowest first, so higher places overwrite
        for key, raw in source.recommended.items():
            setting = _known(key, source.name, warnings)
            if setting is not None and setting.user_section is None:
                # Only what a user may change can be recommended: a kiosk or a reset that
                # the user could undo would be neither locked nor a default.
                _note_ignored(warnings, source.name, key, "only user settings can be recommended")
            elif setting is not None:
                value = _read(setting, raw, source.name, warnings)
                entries[key] = Entry(value, f"recommended ({source.name})")

    broken = next((s for s in sources if s.error), None)
    lockdown = None
    if broken is not None:
        lockdown = f"{broken.name}: {broken.error}"
        _warn(warnings, f"{lockdown}; every setting is locked to its most restrictive value")
        locks = _lockdown(f"lockdown ({broken.name})")
    else:
        locks = _locks(sources, warnings)

    reset = _lock_is(locks, "reset_on_start", default=False)
    if not reset:  # a reset shows what the next trainee gets: the defaults
        origin = "portable" if is_portable else "user"
        for key, value in user_settings.values().items():
            entries[key] = Entry(value, origin)

    if theme:
        entries["theme"] = Entry(parse(BY_KEY["theme"], theme), "command line")
    if content:
        open_pack = locks.get("allow_open_pack")
        if open_pack is not None and not open_pack.value:
            _warn(warnings, "--content ignored: opening other packs is disabled by the policy")
        else:
            entries["content"] = Entry(content, "command line")
    for key, entry in locks.items():
        if key in entries and entries[key].source == "command line":
            _note_ignored(warnings, "command line", key, "the policy sets it")
        entries[key] = entry
    warnings.extend(user_settings.warnings)
    return Effective(entries, settings_file, is_portable, warnings, lockdown, user_settings)


def settings_location(
    portable_flag: bool, program_dir: Path, warnings: list[str]
) -> tuple[Path, bool]:
    """The settings file: beside the program in portable mode, else the user's config folder."""
    portable_path = program_dir / paths.SETTINGS_FILE
    user_path = paths.config_dir() / paths.SETTINGS_FILE
    if portable_flag or portable_path.is_file():
        if _can_write(program_dir):
            return portable_path, True
        _warn(warnings, f"{program_dir}: portable folder is read-only; using {user_path}")
    return user_path, False


def _can_write(folder: Path) -> bool:
    """Try it: permission bits lie for root, and USB sticks can be mounted read-only."""
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False
