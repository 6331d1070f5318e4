"""UI room: the About dialogs for the guide and for ketreader."""

from __future__ import annotations

import html

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ketreader import __version__
from ketreader.content.pack import short_fingerprint
from ketreader.library import Library

LICENCES = (
    "ketreader: MIT licence. Qt and PySide6: LGPL v3. Python-Markdown: BSD licence. "
    "nh3 and ammonia: MIT licence. Python: PSF licence."
)


class AboutDialog(QDialog):
    """A short read-only text with a Close button; screen readers get the same text."""

    def __init__(self, title: str, body_html: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        label = QLabel(body_html, self)
        label.setObjectName("about-text")
        label.setWordWrap(True)
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        label.setAccessibleName(title)
        label.setAccessibleDescription(label.text())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(buttons)
        self.resize(460, 0)

    @property
    def text(self) -> str:
        label = self.findChild(QLabel, "about-text")
        return label.text() if label is not None else ""


def about_guide_html(pack: Library) -> str:
    """Title, version, language and fingerprint, then the pack's own note, if it has one."""
    rows = [
        ("Title", pack.title),
        ("Version", pack.version or "not given"),
        ("Language", pack.language or "not given"),
        ("Content fingerprint", short_fingerprint(pack.fingerprint)),
    ]
    table = "".join(
        f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{html.escape(v)}</td></tr>" for k, v in rows
    )
    note = f"<p>{html.escape(pack.note)}</p>" if pack.note else ""
    return f"<table>{table}</table>{note}"


def about_app_html() -> str:
    return (
        f"<p><b>ketreader {__version__}</b><br>Offline reader for clinical-education guides.</p>"
        f"<p>Qt {qVersion()} · PySide6 {pyside_version}</p><p>{LICENCES}</p>"
    )
