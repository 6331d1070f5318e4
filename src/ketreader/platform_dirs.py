"""Platform room: where the user's cache, config and log folders are, without Qt."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "ketreader"


def _base(env: str, windows: str, mac: str, xdg: str, xdg_default: str) -> Path:
    override = os.environ.get(env)
    if override:
        return Path(override)
    if sys.platform == "win32":
        return (
            Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
            / APP
            / windows
        )
    if sys.platform == "darwin":
        return Path.home() / "Library" / mac / APP
    return Path(os.environ.get(xdg) or Path.home() / xdg_default) / APP


def cache_dir() -> Path:
    """Per-user cache (search indexes); never inside a pack or the install folder."""
    return _base("KETREADER_CACHE_DIR", "cache", "Caches", "XDG_CACHE_HOME", ".cache")


def log_dir() -> Path:
    """Per-user log folder for crash reports and warnings."""
    return _base("KETREADER_LOG_DIR", "logs", "Logs", "XDG_STATE_HOME", ".local/state")


def config_dir() -> Path:
    """Per-user settings folder, the same place QStandardPaths' GenericConfigLocation names."""
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / APP
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Preferences" / APP
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / APP


def system_policy_file() -> Path:
    """Where admins put the room-wide policy; users cannot write there."""
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA") or "C:/ProgramData") / APP / "policy.ini"
    if sys.platform == "darwin":
        return Path("/Library/Application Support") / APP / "policy.ini"
    return Path("/etc/xdg") / APP / "policy.ini"


def program_dir() -> Path:
    """The folder of the executable: the frozen bundle's, or the interpreter's from source."""
    return Path(sys.executable).resolve().parent
