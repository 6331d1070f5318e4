"""Settings room: the one table of settings, their types, defaults, limits and locks; no Qt.

Policy, the user's settings file, the command line's choices, docs/settings.md and the
Windows policy templates are all read off this table, so a key is defined exactly once.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Value = bool | int | str
Kind = Literal["bool", "int", "choice", "path"]

THEMES = ("system", "light", "dark", "high-contrast")
ZOOM_MIN, ZOOM_MAX = -6, 12


class Setting(NamedTuple):
    """One setting: what it is, what it may hold, and who may set it."""

    key: str  # as admins write it in the policy INI and the registry
    kind: Kind
    default: Value
    label: str  # a short title, as in the Windows policy editor
    description: str
    choices: tuple[str, ...] = ()
    low: int = 0
    high: int = 0
    # Where the reader keeps the user's own value ("view" section of the INI); None when
    # only an admin sets it.
    user_section: str | None = None
    # The value that fails closed: what an unreadable policy value, or a policy file that
    # cannot be read at all, turns into. None: no value is safer than another.
    restrictive: Value | None = None
    msi_property: str | None = None  # `msiexec /i ketreader.msi KIOSK=1 ...`
    lockable: bool = True


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "kiosk", "bool", False, "Kiosk mode",
        "Full screen with no way out of the guide: no Quit, Open Pack, file dialogs or "
        "full-screen toggle; the window refuses to close; external links are off unless the "
        "policy allows them.",
        restrictive=True, msi_property="KIOSK",
    ),
    Setting(
        "reset_on_start", "bool", False, "Reset for each trainee",
        "Every start opens at the beginning with the defaults, ignoring what the last user "
        "changed.",
        restrictive=True, msi_property="RESETONSTART",
    ),
    Setting(
        "allow_print", "bool", True, "Allow printing",
        "File > Print. Printing to a file is offered only where export is allowed too.",
        restrictive=False, msi_property="ALLOWPRINT",
    ),
    Setting(
        "allow_export", "bool", True, "Allow export",
        "File > Export as HTML or PDF.",
        restrictive=False, msi_property="ALLOWEXPORT",
    ),
    Setting(
        "allow_open_pack", "bool", True, "Allow opening other content packs",
        "File > Open Pack and --content; when false only the policy's content is shown.",
        restrictive=False, msi_property="ALLOWOPENPACK",
    ),
    Setting(
        "allow_external_links", "bool", True, "Allow external links",
        "https: and mailto: links open in the system's browser or mail program after the user "
        "confirms. Kiosk mode turns this off unless the policy sets it.",
        restrictive=False, msi_property="ALLOWEXTERNALLINKS",
    ),
    Setting(
        "allow_read_aloud", "bool", True, "Allow read aloud",
        "View > Read Aloud, with the computer's offline voice.",
        restrictive=False, msi_property="ALLOWREADALOUD",
    ),
    Setting(
        "content", "path", "", "Content pack",
        "The content pack shown: a pack folder or a compiled .ketpack file. Empty for the bundled "
        "guide.",
        restrictive="", msi_property="CONTENT",
    ),
    Setting(
        "theme", "choice", "system", "Theme",
        "Colours of the reader; system follows the operating system's light or dark scheme.",
        choices=THEMES, user_section="view", msi_property="THEME",
    ),
    Setting(
        "zoom", "int", 0, "Text size",
        "Zoom steps from the default text size.",
        low=ZOOM_MIN, high=ZOOM_MAX, user_section="view", msi_property="ZOOM",
    ),
    Setting(
        "sidebar_visible", "bool", True, "Show the sidebar",
        "The section sidebar is shown.",
        user_section="view", lockable=False,
    ),
    Setting(
        "toolbar_visible", "bool", True, "Show the toolbar",
        "The toolbar with Back, Forward, Home, zoom and Print is shown.",
        user_section="view", lockable=False,
    ),
)  # fmt: skip

BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}
POLICY_KEYS: tuple[str, ...] = tuple(s.key for s in SETTINGS if s.lockable)
USER_KEYS: tuple[str, ...] = tuple(s.key for s in SETTINGS if s.user_section)


class StateKey(NamedTuple):
    """Something the reader remembers that is not a setting: never locked, never policy."""

    section: str
    option: str
    description: str


STATE: tuple[StateKey, ...] = (
    StateKey("window", "geometry", "window position and size (base64 of Qt's saved geometry)"),
    StateKey("window", "splitter", "sidebar width (base64 of Qt's splitter state)"),
    StateKey(
        "reading",
        "<pack fingerprint>",
        "the section last read in that pack (the 16 packs opened most recently)",
    ),
)

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def parse(setting: Setting, raw: object) -> Value:
    """A raw value (INI text, registry number or text, plist value) as the setting's type.

    Raises ValueError naming what was expected.
    """
    if setting.kind == "bool":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int):
            if raw in (0, 1):
                return bool(raw)
            raise ValueError("expected true or false (1 or 0)")
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError("expected true or false")
    if setting.kind == "int":
        number = _integer(raw)
        if not setting.low <= number <= setting.high:
            raise ValueError(f"expected {setting.low} to {setting.high}")
        return number
    if not isinstance(raw, str):
        raise ValueError("expected text")
    text = raw.strip()
    if setting.kind == "choice" and text not in setting.choices:
        raise ValueError(f"expected one of {', '.join(setting.choices)}")
    if "\x00" in text:
        raise ValueError("contains a NUL character")
    return text


def _integer(raw: object) -> int:
    if isinstance(raw, bool):
        raise ValueError("expected a whole number")
    if isinstance(raw, int):
        # REG_DWORD is unsigned: a negative zoom arrives as its two's complement.
        return raw - 2**32 if 2**31 <= raw < 2**32 else raw
    text = str(raw).strip()
    if not text or len(text) > 12 or not text.lstrip("+-").isdigit():
        raise ValueError("expected a whole number")
    return int(text)


def spell(value: Value) -> str:
    """A value as it is written in an INI file: true/false, digits, or the text itself."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def allowed_values(setting: Setting) -> str:
    """The allowed values in words, for docs and help."""
    if setting.kind == "bool":
        return "`true`, `false`"
    if setting.kind == "int":
        return f"integer {setting.low} … {setting.high}"
    if setting.kind == "choice":
        return ", ".join(f"`{c}`" for c in setting.choices)
    return "a folder or file path; empty for the default"
