"""Settings room: the one class that reads and writes the user's QSettings INI file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from ketreader import platform_dirs

THEMES = ("system", "light", "dark", "high-contrast")
ZOOM_RANGE = (-6, 12)


def default_settings_path() -> Path:
    """``$XDG_CONFIG_HOME/ketreader/ketreader.ini`` on Linux; the platform equivalent elsewhere."""
    return platform_dirs.config_dir() / "ketreader.ini"


class Settings:
    """Typed, defensive access to the INI file: bad values read as defaults, never raise.

    Writes are atomic: with atomic sync required (Qt's default, set here explicitly; see
    https://doc.qt.io/qt-6/qsettings.html#setAtomicSyncRequired) QSettings writes to a
    temporary file and renames it, or fails, so a crash mid-write never leaves half a file.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_settings_path()
        self.warnings: list[str] = []
        self._rescue_unreadable()
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)
        self._qs.setAtomicSyncRequired(True)
        if self._qs.status() != QSettings.Status.NoError:
            self._warn(f"{self.path}: settings could not be read; starting with defaults")

    def _warn(self, message: str) -> None:
        self.warnings.append(message)
        from ketreader.crashlog import append_log  # rare: kept off the start-up path

        append_log(f"warning: {message}")

    def _rescue_unreadable(self) -> None:
        """Keep a copy of a settings file Qt cannot parse before it is rewritten on quit."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            self._warn(f"{self.path}: cannot be read ({exc.strerror}); starting with defaults")
            return
        try:
            raw.decode("utf-8")
            if b"\x00" not in raw:
                return
        except UnicodeDecodeError:
            pass
        import shutil
        import time

        backup = self.path.with_name(f"{self.path.name}.unreadable-{int(time.time())}")
        try:
            shutil.copyfile(self.path, backup)
            self._warn(f"{self.path}: unreadable; kept a copy as {backup.name}")
        except OSError:
            self._warn(f"{self.path}: unreadable and could not be backed up")

    # -- typed values ---------------------------------------------------------------------

    def _str(self, key: str, default: str, allowed: tuple[str, ...] | None = None) -> str:
        value = self._qs.value(key, default)
        if not isinstance(value, str) or (allowed is not None and value not in allowed):
            if value != default:
                self._warn(f"{self.path}: ignoring bad value for {key}")
            return default
        return value

    def _int(self, key: str, default: int, low: int, high: int) -> int:
        value = self._qs.value(key, default)
        try:
            number = int(str(value))
        except ValueError:
            self._warn(f"{self.path}: ignoring bad value for {key}")
            return default
        return max(low, min(high, number))

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._qs.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @property
    def theme(self) -> str:
        return self._str("view/theme", "system", THEMES)

    @theme.setter
    def theme(self, value: str) -> None:
        self._qs.setValue("view/theme", value)

    @property
    def zoom(self) -> int:
        return self._int("view/zoom", 0, *ZOOM_RANGE)

    @zoom.setter
    def zoom(self, value: int) -> None:
        self._qs.setValue("view/zoom", int(value))

    @property
    def sidebar_visible(self) -> bool:
        return self._str("view/sidebar_visible", "true", ("true", "false")) == "true"

    @sidebar_visible.setter
    def sidebar_visible(self, value: bool) -> None:
        self._qs.setValue("view/sidebar_visible", "true" if value else "false")

    @property
    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._qs.setValue("window/geometry", value)

    @property
    def splitter(self) -> QByteArray | None:
        return self._bytes("window/splitter")

    @splitter.setter
    def splitter(self, value: QByteArray) -> None:
        self._qs.setValue("window/splitter", value)

    def position(self, fingerprint: str) -> str | None:
        """The section last read in the pack with this fingerprint, if it was this pack."""
        if self._str("reading/pack", "") != fingerprint[:16]:
            return None
        return self._str("reading/section", "") or None

    def set_position(self, fingerprint: str, section_id: str) -> None:
        self._qs.setValue("reading/pack", fingerprint[:16])
        self._qs.setValue("reading/section", section_id)

    def reset(self) -> None:
        self._qs.clear()

    def save(self) -> bool:
        """Flush to disk; False (with a logged warning) when the folder cannot be written."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._warn(f"{self.path.parent}: cannot create settings folder ({exc.strerror})")
            return False
        self._qs.sync()
        if self._qs.status() != QSettings.Status.NoError:
            self._warn(f"{self.path}: settings could not be written")
            return False
        return True
