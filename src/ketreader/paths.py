"""Paths room: where the user's settings, cache and log live, and where admins put policy."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "ketreader"
SETTINGS_FILE = "ketreader.ini"
POLICY_FILE = "policy.ini"
BUNDLE_ID = "org.ketreader.Reader"


# Measured: importing platformdirs costs 5.8 ms on the start-up path (2 cores, CPython 3.11,
# after PySide6 is loaded: its unix module pulls in tempfile, copy and its own path checks),
# about 4% of the first paint's whole budget. Linux and macOS folders follow fixed rules
# (XDG base directories; ~/Library), written out below; Windows asks the shell for its
# known folders, which platformdirs does through ctypes, so only Windows imports it.
def _user_dir(kind: str) -> Path:
    if sys.platform == "win32":
        import platformdirs

        finder = {
            "config": platformdirs.user_config_dir,
            "cache": platformdirs.user_cache_dir,
            "log": platformdirs.user_log_dir,
        }[kind]
        return Path(finder(APP, appauthor=False))
    home = Path.home()
    if sys.platform == "darwin":
        folder = {"config": "Application Support", "cache": "Caches", "log": "Logs"}[kind]
        return home / "Library" / folder / APP
    env, fallback = {
        "config": ("XDG_CONFIG_HOME", ".config"),
        "cache": ("XDG_CACHE_HOME", ".cache"),
        "log": ("XDG_STATE_HOME", ".local/state"),
    }[kind]
    base = os.environ.get(env, "")
    # The XDG rules ignore a relative path in these variables.
    return (Path(base) if os.path.isabs(base) else home / fallback) / APP


def config_dir() -> Path:
    """Per-user settings folder: ``$XDG_CONFIG_HOME/ketreader``, ``%LOCALAPPDATA%\\ketreader``."""
    return _user_dir("config")


def cache_dir() -> Path:
    """Per-user cache of rendered packs; never inside a pack or the install folder.

    ``KETREADER_CACHE_DIR`` moves it (a RAM disk on a re-imaged PC, say): a cache is only
    ever trusted after it is checked, wherever it is.
    """
    override = os.environ.get("KETREADER_CACHE_DIR")
    return Path(override) if override else _user_dir("cache")


def log_dir() -> Path:
    """Per-user log folder; ``KETREADER_LOG_DIR`` moves it."""
    override = os.environ.get("KETREADER_LOG_DIR")
    return Path(override) if override else _user_dir("log")


def documents_dir() -> Path:
    """Where file dialogs start: the user's Documents folder, else home."""
    import platformdirs  # only when a dialog opens, long after the first paint

    documents = Path(platformdirs.user_documents_dir())
    return documents if documents.is_dir() else Path.home()


# Admin policy files, at fixed places no environment variable can move: the user controls
# their own environment, so $XDG_CONFIG_DIRS or %ProgramData% must not decide what is locked.
# Windows has no policy file: its machine policy is in the registry (policy_registry.py).
SYSTEM_POLICY_FILES: dict[str, tuple[Path, ...]] = {
    "linux": (Path("/etc/xdg") / APP / POLICY_FILE,),
    "darwin": (Path("/Library/Application Support") / APP / POLICY_FILE,),
    "win32": (),
}
MANAGED_PREFERENCES = Path("/Library/Managed Preferences")


def system_policy_files() -> tuple[Path, ...]:
    return SYSTEM_POLICY_FILES.get(sys.platform, SYSTEM_POLICY_FILES["linux"])


def program_dir() -> Path:
    """The folder of the executable: the frozen bundle's, or the interpreter's from source."""
    return Path(sys.executable).resolve().parent
