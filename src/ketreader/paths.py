"""Paths room: where the user's settings, cache and log live, and where admins put policy."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP = "ketreader"
SETTINGS_FILE = "ketreader.ini"
POLICY_FILE = "policy.ini"
BUNDLE_ID = "org.ketreader.Reader"


def config_dir() -> Path:
    """Per-user settings folder: ``$XDG_CONFIG_HOME/ketreader``, ``%LOCALAPPDATA%\\ketreader``."""
    return Path(platformdirs.user_config_dir(APP, appauthor=False, roaming=False))


def cache_dir() -> Path:
    """Per-user cache of rendered packs; never inside a pack or the install folder.

    ``KETREADER_CACHE_DIR`` moves it (a RAM disk on a re-imaged PC, say): a cache is only
    ever trusted after it is checked, wherever it is.
    """
    override = os.environ.get("KETREADER_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir(APP, appauthor=False))


def log_dir() -> Path:
    """Per-user log folder; ``KETREADER_LOG_DIR`` moves it."""
    override = os.environ.get("KETREADER_LOG_DIR")
    return Path(override) if override else Path(platformdirs.user_log_dir(APP, appauthor=False))


def documents_dir() -> Path:
    """Where file dialogs start: the user's Documents folder, else home."""
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
