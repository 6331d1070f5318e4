"""Packaging room: what of Qt the frozen reader keeps; used by the hooks in hooks/."""

from __future__ import annotations

import os
import sys

# Qt modules the reader imports. Everything else PySide6's hooks would pull in is dropped
# before PyInstaller analyses it, so no orphaned libraries are left behind.
KEEP_MODULES = {"QtCore", "QtGui", "QtWidgets", "QtPrintSupport", "QtDBus"}

# Platform plugins by operating system.
PLATFORM_PLUGINS = {
    "win32": {"qwindows", "qoffscreen", "qminimal"},
    "darwin": {"qcocoa", "qoffscreen", "qminimal"},
    "linux": {"qxcb", "qwayland", "qoffscreen", "qminimal"},
}


def keep_plugins(platform: str) -> dict[str, set[str] | None]:
    """Plugins by folder; a folder missing here is dropped whole (tls, networkinformation,
    egldeviceintegrations, wayland-graphics-integration-*, sqldrivers, qmltooling, ...)."""
    return {
        "platforms": PLATFORM_PLUGINS.get(platform, PLATFORM_PLUGINS["linux"]),
        "xcbglintegrations": {"qxcb-glx-integration"},
        # qgtk3 would drag in GTK, cairo and pango (~15 MB); the reader styles itself (Fusion).
        "platformthemes": {"qxdgdesktopportal"},
        "platforminputcontexts": None,  # all: compose, ibus — typing accents and CJK input
        "imageformats": {"qjpeg", "qgif", "qsvg", "qico"},  # PNG is built into QtGui
        "iconengines": {"qsvgicon"},
        "printsupport": None,
        "styles": None,
        "wayland-shell-integration": {"xdg-shell"},
        "wayland-decoration-client": {"bradient"},
        "generic": set(),
    }


# Only English ships, so only Qt's English translations (which are empty) would apply.
KEEP_TRANSLATION_PREFIXES: tuple[str, ...] = ("qtbase_en",)


def _plugin_kept(dest: str, source: str, platform: str) -> bool:
    parts = dest.replace("\\", "/").split("/")
    if "plugins" not in parts:
        return True
    folder = "/".join(parts[parts.index("plugins") + 1 :])
    allowed = keep_plugins(platform).get(folder, set())
    if allowed is None:
        return True
    stem = os.path.basename(source).split(".")[0].removeprefix("lib")
    return stem in allowed


def trim(
    hiddenimports: list[str],
    binaries: list[tuple[str, str]],
    datas: list[tuple[str, str]],
    platform: str = sys.platform,
) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str]]]:
    """Filter one hook's collection before analysis sees it."""
    kept_imports = [
        name
        for name in hiddenimports
        if not name.startswith("PySide6.Qt") or name.split(".")[1] in KEEP_MODULES
    ]
    kept_binaries = [(src, dest) for src, dest in binaries if _plugin_kept(dest, src, platform)]
    kept_datas = [
        (src, dest)
        for src, dest in datas
        if "translations" not in dest.replace("\\", "/").split("/")
        or os.path.basename(src).startswith(KEEP_TRANSLATION_PREFIXES)
    ]
    return kept_imports, kept_binaries, kept_datas
