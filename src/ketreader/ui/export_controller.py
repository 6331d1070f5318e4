"""UI room: File > Export (HTML, PDF) and Print, where the policy allows them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QMainWindow

from ketreader.atomic_write import replacing
from ketreader.library import Library
from ketreader.log import get
from ketreader.paths import documents_dir
from ketreader.preferences import Preferences

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

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
            library = self._library()
            html = export_html(library.rendered, library.resource)
            self._write(target, lambda temp: temp.write_text(html, encoding="utf-8"))

    @Slot()
    def export_guide_pdf(self) -> None:
        self.export_pdf(whole=True)

    @Slot()
    def export_section_pdf(self) -> None:
        self.export_pdf(whole=False)

    def export_pdf(self, whole: bool = True, target: Path | None = None) -> Path | None:
        from ketreader.render.export import printable
        from ketreader.ui.print_layout import write_pdf

        target = target or self._target("Export as PDF", "pdf")
        if target is None:
            return None
        library = self._library()
        content = printable(library.rendered, None if whole else self._current_section())
        written = self._write(target, lambda temp: write_pdf(content, library.resource, temp))
        return target if written else None

    @property
    def print_to_file_allowed(self) -> bool:
        """Printing to a file is an export: only where exporting is allowed, never in kiosk."""
        return self._prefs.flag("allow_export") and not self._prefs.kiosk

    @Slot()
    def print_guide(self) -> None:
        from PySide6.QtPrintSupport import QPrinter

        from ketreader.render.export import printable
        from ketreader.ui.print_layout import paint_pages, printable_document, set_page

        library = self._library()
        content = printable(library.rendered)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        set_page(printer)

        def paint(device: QPrinter) -> None:
            document = printable_document(content, library.resource, device)
            paint_pages(document, device, content.title)

        if self.print_to_file_allowed:
            from PySide6.QtPrintSupport import QPrintPreviewDialog

            preview = QPrintPreviewDialog(printer, self._window)
            preview.setWindowTitle(f"Print — {content.title}")
            preview.paintRequested.connect(paint)
            preview.exec()
            return
        if self._choose_real_printer(printer):
            paint(printer)
            _log.info("printed %s", content.title)

    def _choose_real_printer(self, printer: QPrinter) -> bool:
        """The print dialog with real printers only: no file printer, no file browser.

        The preview dialog cannot be used here: with a file printer its Print button opens
        a file dialog, and the print dialog it opens offers "Print to File".
        """
        from PySide6.QtPrintSupport import (
            QAbstractPrintDialog,
            QPrintDialog,
            QPrinter,
            QPrinterInfo,
        )

        if not QPrinterInfo.availablePrinterNames():
            self._window.statusBar().showMessage("No printer is set up on this computer.", 8000)
            _log.info("print refused: no printer, and printing to a file is not allowed")
            return False
        printer.setOutputFormat(QPrinter.OutputFormat.NativeFormat)
        printer.setPrinterName(QPrinterInfo.defaultPrinterName() or printer.printerName())
        dialog = QPrintDialog(printer, self._window)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, False)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return False
        if printer.outputFormat() != QPrinter.OutputFormat.NativeFormat or printer.outputFileName():
            _log.warning("print refused: the dialog chose a file")
            return False
        return True
