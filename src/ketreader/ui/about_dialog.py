"""UI room: the About dialogs for the guide and for ketreader, sized to their text."""

from __future__ import annotations

import html

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ketreader import __version__
from ketreader.content.pack import short_fingerprint
from ketreader.library import Library
from ketreader.licences import EVERYWHERE, LINUX, WINDOWS, Component

TEXT_WIDTH = 520  # pixels: the dialog's text column


class AboutDialog(QDialog):
    """Read-only text with a Close button: as tall as its text, and scrolling beyond
    two thirds of the screen, so nothing is ever cut off."""

    def __init__(self, title: str, body_html: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("about-text")
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName(title)
        self.browser.setHtml(body_html)
        self.browser.setAccessibleDescription(self.browser.toPlainText()[:500])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        # Measured on a copy: the view lays its own document out at its current width.
        measure = self.browser.document().clone(self)
        measure.setTextWidth(TEXT_WIDTH)
        frame = 2 * self.browser.frameWidth() + 4
        needed = round(measure.size().height()) + frame
        measure.deleteLater()
        screen = QGuiApplication.primaryScreen()
        limit = round(screen.availableGeometry().height() * 2 / 3) if screen else 600
        self.browser.setMinimumSize(TEXT_WIDTH + frame, min(needed, limit))
        self.adjustSize()

    @property
    def text(self) -> str:
        return self.browser.toHtml()


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


def _licence_rows(components: tuple[Component, ...]) -> str:
    rows = []
    for c in components:
        note = f"<br><small>{html.escape(c.note)}</small>" if c.note else ""
        rows.append(
            f"<tr><td>{html.escape(c.name)}{note}</td><td>{html.escape(c.licence)}</td></tr>"
        )
    return (
        '<table cellspacing="0" cellpadding="3" width="100%">'
        "<tr><th align=left>Component</th><th align=left>Licence</th></tr>"
        f"{''.join(rows)}</table>"
    )


def about_app_html() -> str:
    return (
        f"<p><b>ketreader {__version__}</b><br>Offline reader for clinical-education guides.</p>"
        f"<p>Qt {qVersion()} · PySide6 {pyside_version}</p>"
        "<p>ketreader is free software under the MIT licence. Qt, PySide6 and Shiboken6 are "
        "used under the GNU Lesser General Public License v3: you may replace their "
        "libraries in the installation folder with your own builds.</p>"
        "<h3>Components in every installation</h3>"
        f"{_licence_rows(EVERYWHERE)}"
        "<h3>Also in the Linux packages</h3>"
        "<p>System libraries copied from the build machine (Debian):</p>"
        f"{_licence_rows(LINUX)}"
        "<h3>Also in the Windows installers</h3>"
        f"{_licence_rows(WINDOWS)}"
    )
