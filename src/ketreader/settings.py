"""Settings room: the user's INI file, read once, typed by the schema, written atomically; no Qt."""

from __future__ import annotations

import base64
import binascii
import os
import stat
import time
import zlib
from pathlib import Path

from ketreader.atomic_write import write_atomically
from ketreader.bounded_read import read_at_most
from ketreader.config_schema import BY_KEY, USER_KEYS, Value, parse, spell
from ketreader.log import get

_log = get("settings")
MAX_SETTINGS_BYTES = 256 * 1024


# Reading places kept: one per pack, for the packs opened most recently.
KEPT_POSITIONS = 16


class UserSettings:
    """The user's own values and the reader's remembered state, in one INI file.

    Reading never raises: a file that cannot be decoded is kept aside (so nothing is lost)
    and the reader starts from the defaults. Writing goes to a temporary file that replaces
    the old one, so a crash or a full disk never leaves half a file.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.warnings: list[str] = []
        self._data: dict[str, dict[str, str]] = {}
        self._dirty = False
        self._read()

    # -- reading ------------------------------------------------------------------------

    def _warn(self, message: str) -> None:
        self.warnings.append(message)
        _log.warning("%s", message)

    def _read(self) -> None:
        try:
            raw = read_at_most(self.path, MAX_SETTINGS_BYTES + 1, regular_only=False)
        except FileNotFoundError:
            return
        except OSError as exc:
            self._warn(f"{self.path}: cannot be read ({exc.strerror}); starting with defaults")
            return
        try:
            if len(raw) > MAX_SETTINGS_BYTES or b"\x00" in raw:
                raise ValueError
            text = raw.decode("utf-8-sig")
        except (UnicodeDecodeError, ValueError):
            self._rescue(raw)
            return
        section = ""
        for line in text.splitlines():
            line = line.strip()
            if not line or line[0] in ";#":
                continue
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1].strip()
                continue
            key, sep, value = line.partition("=")
            if sep:
                self._data.setdefault(section, {})[key.strip()] = value.strip()

    def _rescue(self, raw: bytes) -> None:
        """Keep what a file that cannot be read holds, before a new one is written.

        Within the size limit, the bytes already read are written beside it. A larger file is
        renamed aside instead: copying it (a sparse file can claim any size) could fill the
        disk, and would again on every start.
        """
        backup = self.path.with_name(f"{self.path.name}.unreadable-{int(time.time())}")
        try:
            if not stat.S_ISREG(os.stat(self.path).st_mode):
                # A device such as /dev/zero never ends: there is nothing to keep.
                self._warn(f"{self.path}: not a regular file; starting with defaults")
                return
            if len(raw) > MAX_SETTINGS_BYTES:
                os.replace(self.path, backup)
                self._warn(f"{self.path}: unreadable; moved aside as {backup.name}")
                return
            # Named for what it holds: commands that only read never write the settings file,
            # so the same bytes would otherwise be copied again on every run.
            copy = self.path.with_name(f"{self.path.name}.unreadable-{zlib.crc32(raw):08x}")
            if not copy.exists():
                write_atomically(copy, raw)
            self._warn(f"{self.path}: unreadable; kept a copy as {copy.name}")
        except OSError:
            self._warn(f"{self.path}: unreadable and could not be copied aside")

    def _raw(self, section: str, option: str) -> str | None:
        return self._data.get(section, {}).get(option)

    def _set_raw(self, section: str, option: str, value: str) -> None:
        if "\n" in value or "\r" in value:
            raise ValueError("settings values are single lines")
        if self._raw(section, option) != value:
            self._data.setdefault(section, {})[option] = value
            self._dirty = True

    # -- typed values ---------------------------------------------------------------------

    def values(self) -> dict[str, Value]:
        """The user's own value of each user setting that the file holds and that is valid."""
        found: dict[str, Value] = {}
        for key in USER_KEYS:
            setting = BY_KEY[key]
            assert setting.user_section is not None
            raw = self._raw(setting.user_section, key)
            if raw is None:
                continue
            try:
                found[key] = parse(setting, raw)
            except ValueError as exc:
                self._warn(f"{self.path}: ignoring bad value for {key} ({exc})")
        return found

    def set_value(self, key: str, value: Value) -> None:
        """Remember the user's choice; the caller has checked that the key is not locked."""
        setting = BY_KEY[key]
        if setting.user_section is None:
            raise KeyError(f"{key} is not a user setting")
        self._set_raw(setting.user_section, key, spell(parse(setting, spell(value))))

    def state(self, section: str, option: str) -> bytes | None:
        """Remembered binary state (window geometry, say), decoded; None if absent or bad."""
        raw = self._raw(section, option)
        if not raw:
            return None
        try:
            return base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            self._warn(f"{self.path}: ignoring bad value for {section}/{option}")
            return None

    def set_state(self, section: str, option: str, data: bytes) -> None:
        self._set_raw(section, option, base64.b64encode(data).decode("ascii"))

    def position(self, fingerprint: str) -> str | None:
        """The section last read in the pack with this fingerprint, if it was read lately."""
        reading = self._data.get("reading", {})
        if reading.get("pack") == fingerprint[:16]:  # the one-pack form of earlier versions
            return reading.get("section") or None
        return reading.get(fingerprint[:16]) or None

    def set_position(self, fingerprint: str, section_id: str) -> None:
        """Remember the place in this pack; the last KEPT_POSITIONS packs keep theirs."""
        key = fingerprint[:16]
        if "\n" in section_id or "\r" in section_id:
            raise ValueError("settings values are single lines")
        reading = self._data.get("reading", {})
        if list(reading.items())[-1:] == [(key, section_id)]:
            return
        kept = {k: v for k, v in reading.items() if k not in (key, "pack", "section")}
        if reading.get("pack") and reading.get("section") and reading["pack"] != key:
            kept = {reading["pack"]: reading["section"], **kept}
        kept[key] = section_id  # the most recent last: the INI shows the order
        self._data["reading"] = dict(list(kept.items())[-KEPT_POSITIONS:])
        self._dirty = True

    def reset(self) -> None:
        """Forget everything: a new trainee starts from the defaults."""
        if self._data:
            self._data = {}
            self._dirty = True

    # -- writing --------------------------------------------------------------------------

    def save(self) -> bool:
        """Write the file if anything changed; False (with a logged warning) if it cannot be."""
        if not self._dirty:
            return True
        lines: list[str] = []
        for section, options in self._data.items():
            if not options:
                continue
            lines.append(f"[{section}]")
            lines.extend(f"{key}={value}" for key, value in options.items())
            lines.append("")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._warn(f"{self.path.parent}: cannot create settings folder ({exc.strerror})")
            return False
        try:
            write_atomically(self.path, "\n".join(lines).encode("utf-8"))
        except OSError as exc:
            self._warn(f"{self.path}: settings could not be written ({exc.strerror or exc})")
            return False
        self._dirty = False
        _log.debug("settings saved")
        return True
