"""Policy room: admin policy, portable mode and the effective settings table; no Qt."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from ketreader import platform_dirs

if TYPE_CHECKING:
    import configparser

Source = Literal["default", "user", "portable", "policy", "command line"]
THEMES = ("system", "light", "dark", "high-contrast")
ZOOM_RANGE = (-6, 12)
PORTABLE_FILE = "ketreader.ini"


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError("expected true or false")


def _theme(text: str) -> str:
    value = text.strip()
    if value not in THEMES:
        raise ValueError(f"expected one of {', '.join(THEMES)}")
    return value


def _zoom(text: str) -> int:
    value = int(text.strip())
    if not ZOOM_RANGE[0] <= value <= ZOOM_RANGE[1]:
        raise ValueError(f"expected {ZOOM_RANGE[0]} to {ZOOM_RANGE[1]}")
    return value


def _path(text: str) -> str:
    return text.strip()


Value = bool | str | int
# key: (default, parser); the order is the order `policy --show` prints.
KEYS: dict[str, tuple[Value, Callable[[str], Value]]] = {
    "kiosk": (False, _bool),
    "reset_on_start": (False, _bool),
    "allow_print": (True, _bool),
    "allow_export": (True, _bool),
    "allow_open_pack": (True, _bool),
    "allow_external_links": (True, _bool),
    "content": ("", _path),
    "theme": ("system", _theme),
    "zoom": (0, _zoom),
}
# Where each user-changeable key lives in the settings INI (section, option).
USER_KEYS = {"theme": ("view", "theme"), "zoom": ("view", "zoom")}


class Entry(NamedTuple):
    value: Value
    source: Source
    locked: bool = False


class Effective:
    """Every setting with where its value came from; warnings name the key at fault."""

    def __init__(
        self, entries: dict[str, Entry], settings_file: Path, portable: bool, warnings: list[str]
    ) -> None:
        self.entries = entries
        self.settings_file = settings_file
        self.portable = portable
        self.warnings = warnings

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


def _warn(warnings: list[str], message: str) -> None:
    warnings.append(message)
    from ketreader.crashlog import append_log  # rare: kept off the start-up path

    append_log(f"warning: {message}")


def _read_ini(path: Path, warnings: list[str]) -> configparser.ConfigParser | None:
    if not path.is_file():
        return None  # the usual case: no configparser import on the start-up path
    import configparser

    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        with path.open(encoding="utf-8") as handle:
            parser.read_file(handle)
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, configparser.Error) as exc:
        _warn(warnings, f"{path}: cannot be read ({type(exc).__name__}); using safe defaults")
        return None
    return parser


def _can_write(folder: Path) -> bool:
    """Try it: permission bits lie for root, and USB sticks can be mounted read-only."""
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def settings_location(portable_flag: bool, warnings: list[str]) -> tuple[Path, bool]:
    """The settings file: beside the program in portable mode, else the user's config folder."""
    portable_path = platform_dirs.program_dir() / PORTABLE_FILE
    user_path = platform_dirs.config_dir() / "ketreader.ini"
    if portable_flag or portable_path.is_file():
        folder = portable_path.parent
        if _can_write(folder):
            return portable_path, True
        _warn(warnings, f"{folder}: portable folder is read-only; using {user_path}")
    return user_path, False


def resolve(args: argparse.Namespace, *, read_user: bool = True) -> Effective:
    """Defaults, then user (or portable) settings, then the command line, then the policy.

    The window passes ``read_user=False``: it reads the user's values through QSettings.
    """
    warnings: list[str] = []
    settings_file, portable = settings_location(bool(getattr(args, "portable", False)), warnings)
    entries = {key: Entry(default, "default") for key, (default, _) in KEYS.items()}

    user = _read_ini(settings_file, warnings) if read_user else None
    if user is not None:
        for key, (section, option) in USER_KEYS.items():
            if user.has_option(section, option):
                raw = user.get(section, option)
                # A bad user value keeps the default; the settings class warns about it.
                with contextlib.suppress(ValueError):
                    entries[key] = Entry(KEYS[key][1](raw), "portable" if portable else "user")

    if getattr(args, "theme", None):
        entries["theme"] = Entry(args.theme, "command line")
    if getattr(args, "content", None):
        entries["content"] = Entry(str(args.content), "command line")

    policy_path = Path(args.policy) if getattr(args, "policy", None) else None
    if policy_path is not None and not policy_path.is_file():
        _warn(warnings, f"{policy_path}: policy file not found")
    path = policy_path or platform_dirs.system_policy_file()
    policy = _read_ini(path, warnings)
    if policy is not None:
        for section in policy.sections() or []:
            for key, raw in policy.items(section):
                if key not in KEYS:
                    _warn(warnings, f"{path}: unknown policy key {key!r} ignored")
                    continue
                try:
                    entries[key] = Entry(KEYS[key][1](raw), "policy", locked=True)
                except ValueError as exc:
                    _warn(
                        warnings,
                        f"{path}: bad value for policy key {key!r} ({exc}); using the safe default",
                    )
                    entries[key] = Entry(KEYS[key][0], "policy", locked=True)
    return Effective(entries, settings_file, portable, warnings)


def effective_settings(args: argparse.Namespace) -> dict[str, dict[str, object]]:
    """The table ``ketreader policy --show`` prints; warnings go to stderr."""
    import sys

    effective = resolve(args)
    for warning in effective.warnings:
        print(f"ketreader: warning: {warning}", file=sys.stderr)
    return effective.as_json()
