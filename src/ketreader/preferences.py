"""Settings room: the live settings the window reads and changes, every lock checked here; no Qt."""

from __future__ import annotations

from ketreader.config_schema import Value
from ketreader.log import get
from ketreader.policy import Effective, Entry

_log = get("settings")
LOCKED_TIP = "Set by your administrator"


class Preferences:
    """One place that says yes or no to a change, so no widget enforces a lock on its own.

    A locked value is never written to the user's file; in kiosk mode the window's size and
    place are not written either, so the next normal start is not full screen.
    """

    def __init__(self, effective: Effective) -> None:
        self.effective = effective
        self.user = effective.user_settings

    @property
    def kiosk(self) -> bool:
        return self.effective.flag("kiosk")

    def value(self, key: str) -> Value:
        return self.effective[key]

    def flag(self, key: str) -> bool:
        return self.effective.flag(key)

    def locked(self, key: str) -> bool:
        return self.effective.locked(key)

    def change(self, key: str, value: Value) -> bool:
        """Take the user's new value; False, with nothing stored, when the key is locked."""
        if self.locked(key):
            _log.debug("refused change of locked %s", key)
            return False
        self.effective.entries[key] = Entry(
            value, "portable" if self.effective.portable else "user"
        )
        self.user.set_value(key, value)
        return True

    def window_state(self, option: str) -> bytes | None:
        return None if self.kiosk else self.user.state("window", option)

    def remember_window_state(self, option: str, data: bytes) -> None:
        if not self.kiosk:
            self.user.set_state("window", option, data)

    def position(self, fingerprint: str) -> str | None:
        if self.flag("reset_on_start"):
            return None
        return self.user.position(fingerprint)

    def remember_position(self, fingerprint: str, section_id: str) -> None:
        self.user.set_position(fingerprint, section_id)

    def save(self) -> bool:
        return self.user.save()
