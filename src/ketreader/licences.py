"""Wiring room: every component an installed copy carries, its licence, and its files; no Qt.

The list follows what the PyInstaller bundle really holds (packaging/ketreader.spec): the
Python packages, Qt and its plugins, and, in the Linux bundle, the system libraries that
PyInstaller copies from the build machine. ``unlisted`` checks a bundle against it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath
from typing import NamedTuple


class Component(NamedTuple):
    """A bundled component; ``files`` are the file-name prefixes that belong to it."""

    name: str
    licence: str
    files: tuple[str, ...] = ()
    note: str = ""


EVERYWHERE: tuple[Component, ...] = (
    Component("ketreader", "MIT", ("ketreader",)),
    Component(
        "Python 3.11", "PSF-2.0", ("libpython", "python3", "base_library"),
        "interpreter and standard library; libmpdec (BSD-2-Clause) inside its decimal module",
    ),
    Component(
        "Qt 6", "LGPL-3.0-only", ("libQt6", "Qt6"),
        "Core, Gui, Widgets, PrintSupport, DBus, Svg and platform plugins; with HarfBuzz "
        "(MIT), md4c (MIT), double-conversion (BSD-3-Clause), libjpeg (IJG) and Unicode "
        "data (Unicode-3.0) built in",
    ),
    Component("PySide6 and Shiboken6", "LGPL-3.0-only",
              ("libpyside6", "libshiboken6", "pyside6", "shiboken6")),
    Component("ICU", "Unicode-3.0", ("libicu", "icu"), "Unicode support for Qt"),
    Component("Python-Markdown", "BSD-3-Clause"),
    Component(
        "nh3", "MIT", ("nh3",),
        "with ammonia (MIT OR Apache-2.0) and html5ever (MIT OR Apache-2.0) compiled in",
    ),
    Component("platformdirs", "MIT"),
    Component("SQLite", "blessing (public domain)", ("libsqlite3", "sqlite3")),
    Component("zlib", "Zlib", ("libz.", "zlib")),
)  # fmt: skip

# PyInstaller copies these shared libraries from the Linux build machine (Debian).
LINUX: tuple[Component, ...] = (
    Component("GCC runtime (libstdc++, libgcc_s)", "GPL-3.0 with GCC Runtime Library Exception",
              ("libstdc++", "libgcc_s")),
    Component("FreeType", "FTL", ("libfreetype",)),
    Component("Fontconfig", "HPND-sell-variant", ("libfontconfig",)),
    Component("libpng", "libpng-2.0", ("libpng",)),
    Component("Expat", "MIT", ("libexpat",)),
    Component("libffi", "MIT", ("libffi",)),
    Component("bzip2", "bzip2-1.0.6", ("libbz2",)),
    Component("XZ Utils (liblzma)", "0BSD", ("liblzma",)),
    Component("Zstandard", "BSD-3-Clause", ("libzstd",)),
    Component("LZ4", "BSD-2-Clause", ("liblz4",)),
    Component("Brotli", "MIT", ("libbrotli",)),
    Component("PCRE2", "BSD-3-Clause", ("libpcre2",)),
    Component("GLib", "LGPL-2.1-or-later", ("libglib", "libgthread")),
    Component("D-Bus", "AFL-2.1 OR GPL-2.0-or-later", ("libdbus",)),
    Component("systemd (libsystemd)", "LGPL-2.1-or-later", ("libsystemd",)),
    Component("libcap", "BSD-3-Clause OR GPL-2.0-only", ("libcap",)),
    Component("CUPS", "Apache-2.0", ("libcups",)),
    Component("Avahi", "LGPL-2.1-or-later", ("libavahi",)),
    Component("GnuTLS", "LGPL-2.1-or-later", ("libgnutls",)),
    Component("Nettle", "LGPL-3.0-or-later OR GPL-2.0-or-later", ("libnettle", "libhogweed")),
    Component("GMP", "LGPL-3.0-or-later OR GPL-2.0-or-later", ("libgmp",)),
    Component("libtasn1", "LGPL-2.1-or-later", ("libtasn1",)),
    Component("p11-kit", "BSD-3-Clause", ("libp11-kit",)),
    Component("libidn2", "LGPL-3.0-or-later OR GPL-2.0-or-later", ("libidn2",)),
    Component("libunistring", "LGPL-3.0-or-later OR GPL-2.0-or-later", ("libunistring",)),
    Component("Libgcrypt and libgpg-error", "LGPL-2.1-or-later", ("libgcrypt", "libgpg-error")),
    Component("MIT Kerberos", "MIT",
              ("libkrb5", "libk5crypto", "libgssapi_krb5", "libcom_err")),
    Component("keyutils", "LGPL-2.1-or-later", ("libkeyutils",)),
    Component("libbsd and libmd", "BSD-3-Clause, ISC and public domain", ("libbsd", "libmd")),
    Component("X11 and XCB client libraries", "MIT", ("libX", "libxcb")),
    Component("xkbcommon", "MIT", ("libxkbcommon",)),
)  # fmt: skip

# The Windows installers carry Microsoft's C and C++ runtime beside Python and Qt.
WINDOWS: tuple[Component, ...] = (
    Component("Microsoft Visual C++ runtime", "Microsoft Visual C++ Redistributable licence",
              ("vcruntime", "msvcp", "concrt")),
    Component("Windows Universal C runtime", "Microsoft redistributable licence",
              ("ucrtbase", "api-ms-win")),
)  # fmt: skip

ALL: tuple[Component, ...] = EVERYWHERE + LINUX + WINDOWS
_SHARED = (".so", ".dll", ".dylib", ".pyd")


def owner(path: str) -> Component | None:
    """The component a bundled shared library belongs to, by its folder or file name."""
    parts = PurePath(path).parts
    if "lib-dynload" in parts or ".cpython-" in parts[-1]:
        return EVERYWHERE[1]  # Python's own extension modules
    if "plugins" in parts and ("Qt" in parts or "PySide6" in parts):
        return EVERYWHERE[2]  # Qt's plugins
    name = parts[-1]
    if len(parts) > 1 and parts[0] in ("PySide6", "shiboken6") and name[:1].isupper():
        return EVERYWHERE[3]  # the Python bindings: QtCore.abi3.so, Shiboken.abi3.so
    for component in ALL:
        if any(name.startswith(prefix) for prefix in component.files):
            return component
    return None


def unlisted(files: Iterable[str]) -> list[str]:
    """The shared libraries among ``files`` (paths inside a bundle) that no component owns."""
    return [f for f in files if any(s in PurePath(f).name for s in _SHARED) and owner(f) is None]
