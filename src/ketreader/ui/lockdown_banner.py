"""UI room: the banner that says, in the window, that an unreadable policy locked everything."""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ketreader.log import get
from ketreader.textsafe import isolate_bidi, one_line
from ketreader.ui.qt_namespace import qt

_log = get("ui")

TITLE = "Locked down"
MESSAGE = (
    "The reading policy of this computer could not be read, so every setting is at its most"
    " restrictive. Please tell your administrator."
)
# The light theme's note colours, whatever the theme: 12.6:1 text on background, and a
# light strip stands out in the dark and high-contrast themes too.
_STYLE = """
QFrame#lockdown-banner { background: #fff4d6; border: none; border-bottom: 2px solid #b7791f; }
QFrame#lockdown-banner QLabel { color: #3b2a00; background: transparent; }
"""


class LockdownBanner(QFrame):
    """A strip across the top of the window: what happened, what it means, whom to tell.

    The reason (the policy file and what is wrong with it) is for the administrator; it is
    shown as plain text with control and direction characters neutralised, since it can
    quote a line of the unreadable file.
    """

    def __init__(self, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockdown-banner")
        self.setStyleSheet(_STYLE)
        self.reason = isolate_bidi(one_line(reason))
        self._announced = False

        icon = QLabel(self)
        icon.setObjectName("lockdown-icon")
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_LargeIconSize)
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        icon.setPixmap(warning.pixmap(size, size))
        icon.setAccessibleName("Warning")

        self.title = self._label(f"{TITLE}.", "lockdown-title")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.message = self._label(MESSAGE, "lockdown-message")
        self.message.setWordWrap(True)
        self.detail = self._label(self.reason, "lockdown-reason")
        self.detail.setWordWrap(True)

        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.title)
        text.addWidget(self.message)
        text.addWidget(self.detail)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        row.setSpacing(12)
        row.addWidget(icon, 0)
        row.addLayout(text, 1)

        self.setAccessibleName(TITLE)
        self.setAccessibleDescription(f"{MESSAGE} {self.reason}")

    def _label(self, text: str, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setTextFormat(qt().TextFormat.PlainText)  # the reason may quote the file
        label.setText(text)
        label.setTextInteractionFlags(qt().TextInteractionFlag.TextSelectableByMouse)
        return label

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._announced:
            self._announced = True
            self.announce()

    def announce(self) -> None:
        """Have a running screen reader say it at once, not only when the user reaches it."""
        if QAccessible.isActive():
            event = QAccessibleAnnouncementEvent(self, f"{TITLE}. {MESSAGE}")
            event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
            QAccessible.updateAccessibility(event)


def show_lockdown(window: QMainWindow, reason: str) -> LockdownBanner:
    """Put the banner above everything the window shows below its menus and toolbars."""
    banner = LockdownBanner(reason)
    content = window.takeCentralWidget()
    holder = QWidget(window)
    holder.setObjectName("lockdown-holder")
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    column.addWidget(banner)
    if content is not None:
        column.addWidget(content, 1)
    window.setCentralWidget(holder)
    _log.debug("lockdown banner shown: %s", banner.reason)
    return banner
