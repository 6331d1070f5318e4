"""UI room: File > Export (HTML, PDF) and Print, where the policy allows them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QMainWindow

from ketreader.atomic_write import replacing
from ketreader.library import Library
from ketreader.log import get
from ketreader.paths import documents_dir
from ketreader.preferences import Preferences

_log = get("export")


class ExportController(QObject):
    """Chooses where to write, writes whole files only, and reports the outcome."""

    def __init__(
        self,
        window: QMainWindow,
        prefs: Preferences,
        library: Callable[[], Library],
        current_section: Callable[[], str | None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._prefs = prefs
        self._library = library
        self._current_section = current_section

    def _target(self, title: str, suffix: str) -> Path | None:
        stem = "".join(c if c.isalnum() else "-" for c in self._library().title).strip("-")
        name = f"{stem or 'guide'}.{suffix}"
        if self._prefs.kiosk:  # no file dialogs in kiosk mode: a fixed, visible place
            return documents_dir() / name
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getSaveFileName(
            self._window, title, str(documents_dir() / name), f"{suffix.upper()} (*.{suffix})"
        )
        return Path(chosen) if chosen else None

    def _write(self, target: Path, write: Callable[[Path], object]) -> bool:
        """Write through a temporary file, so a failure leaves any old file untouched."""
        try:
            with replacing(target) as temp:
                write(temp)
        except OSError as exc:
            from PySide6.QtWidgets import QMessageBox

            _log.warning("export to %s failed: %s", target, exc)
            QMessageBox.warning(self._window, "Export failed", f"{target}: {exc.strerror or exc}")
            return False
        self._window.statusBar().showMessage(f"Saved {target}", 8000)
        _log.info("exported %s", target)
        return True

    @Slot()
    def export_html(self) -> None:
        from ketreader.render.export import export_html

        target = self._target("Export as HTML", "html")
        if target is not None:
            html = export_html(self._library().rendered)
            self._write(target, lambda temp: temp.write_text(html, encoding="utf-8"))

    @Slot()
    def export_guide_pdf(self) -> None:
        self.export_pdf(whole=True)

    @Slot()
    def export_section_pdf(self) -> None:
        self.export_pdf(whole=False)

    def export_pdf(self, whole: bool = True, target: Path | None = None) -> Path | None:
        from ketreader.render.export import printable_html
        from ketreader.ui.print_layout import write_pdf

        target = target or self._target("Export as PDF", "pdf")
        if target is None:
            return None
        section = None if whole else self._current_section()
        body, title = printable_html(self._library().rendered, section)
        return target if self._write(target, lambda temp: write_pdf(body, title, temp)) else None

    @Slot()
    def print_guide(self) -> None:
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        from ketreader.render.export import printable_html
        from ketreader.ui.print_layout import paint_pages, printable_document

        body, title = printable_html(self._library().rendered)
        document = printable_document(body)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        preview = QPrintPreviewDialog(printer, self._window)
        preview.setWindowTitle(f"Print — {title}")
        preview.paintRequested.connect(lambda p: paint_pages(document, p, title))
        preview.exec()
