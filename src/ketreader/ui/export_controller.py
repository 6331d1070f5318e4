"""UI room: File > Export (HTML, PDF) and Print, where the policy allows them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QMainWindow

from ketreader.atomic_write import replacing
from ketreader.library import Library
from ketreader.log import get
from ketreader.paths import documents_dir
from ketreader.preferences import Preferences

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from ketreader.render.export import Printable
    from ketreader.ui.print_layout import Progress

_log = get("export")

# The longest printout shown in the print preview: about 70 pages, which the preview paints
# in well under a second. The preview paints every page at once, on the window's thread,
# and keeps them all; a longer printout goes straight to the print dialog and is painted
# a few pages at a time, with its progress shown and a Cancel button.
PREVIEW_CHARS = 150_000
# Characters of HTML on a printed page, for the estimate a reader chooses by (about 2,100
# in the benchmark packs, whose markup is heavier than most).
CHARS_PER_PAGE = 2_000


class CancelledError(Exception):
    """The reader cancelled a long export, or the application is quitting."""


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
        except CancelledError:
            self._window.statusBar().showMessage(f"Not saved: {target.name} was cancelled", 8000)
            _log.info("export to %s cancelled", target)
            return False
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
        from ketreader.ui.print_layout import Progress, pdf_steps

        target = target or self._target("Export as PDF", "pdf")
        if target is None:
            return None
        library = self._library()
        section = None if whole else self._current_section()

        def steps(temp: Path) -> Iterator[Progress]:
            yield Progress("Gathering the pages…", 0, 1)
            content = printable(library.rendered, section)  # for a long guide, 0.1 s
            yield from pdf_steps(content, library.resource, temp, [])

        def write(temp: Path) -> None:
            if not self.run_in_steps(f"Saving {target.name}", steps(temp)):
                raise CancelledError

        written = self._write(target, write)
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
        # Measured before anything is built: the whole of a long guide is built in steps.
        length = sum(len(document.html) for document in library.rendered.documents)
        section: str | None = None
        if length > PREVIEW_CHARS:
            section = self._current_section()
            extent = self._choose_extent(length, section)
            if extent is None:
                return
            if extent == "whole":
                section = None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        set_page(printer)
        if section is None and length > PREVIEW_CHARS:
            self._print_in_steps(printer, lambda: printable(library.rendered), library.title)
            return
        content = printable(library.rendered, section)
        if len(content.html) > PREVIEW_CHARS:
            self._print_in_steps(printer, lambda: content, content.title)
            return

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

    def _choose_extent(
        self, length: int, section: str | None
    ) -> Literal["section", "whole"] | None:
        """For a long guide: print the section being read, or the whole guide, or nothing."""
        from PySide6.QtWidgets import QMessageBox

        pages = max(1, length // CHARS_PER_PAGE)
        found = self._library().rendered.section(section) if section is not None else None
        box = QMessageBox(self._window)
        box.setObjectName("print-extent")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Print")
        box.setText(f"The whole guide is long: about {pages:,} pages.")
        box.setInformativeText(
            "Printing all of it takes a while; it can be cancelled at any time."
            if found is None
            else "You can print the section you are reading instead."
        )
        whole = box.addButton(
            f"Print the whole guide ({pages:,} pages)", QMessageBox.ButtonRole.AcceptRole
        )
        part = None
        if found is not None:
            part = box.addButton(f"Print “{found.title}”", QMessageBox.ButtonRole.AcceptRole)
            box.setDefaultButton(part)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        if part is not None and clicked is part:
            return "section"
        return "whole" if clicked is whole else None

    def _print_in_steps(
        self, printer: QPrinter, content: Callable[[], Printable], title: str
    ) -> None:
        """A long printout: the print dialog, then the pages a few at a time, with progress."""
        from ketreader.ui.print_layout import Progress, printout_steps

        if self.print_to_file_allowed:
            from PySide6.QtPrintSupport import QPrintDialog

            dialog = QPrintDialog(printer, self._window)
            if dialog.exec() != QPrintDialog.DialogCode.Accepted:
                return
        elif not self._choose_real_printer(printer):
            return
        pages: list[int] = []
        resources = self._library().resource

        def steps() -> Iterator[Progress]:
            yield Progress("Gathering the pages…", 0, 1)
            built = content()  # a step of its own: for a long guide, a tenth of a second
            yield from printout_steps(built, resources, printer, pages)

        if self.run_in_steps(f"Printing {title}", steps()):
            self._window.statusBar().showMessage(f"Printed {pages[0]:,} pages", 8000)
            _log.info("printed %s (%d pages)", title, pages[0])
        else:  # the steps aborted the print job when they were closed
            self._window.statusBar().showMessage("Printing cancelled", 8000)
            _log.info("printing %s cancelled", title)

    def run_in_steps(self, title: str, steps: Iterator[Progress]) -> bool:
        """Run ``steps`` one per turn of the event loop, with progress and Cancel; completed?

        A nested event loop, not a loop calling processEvents: the application quitting
        (SIGTERM) ends it too, and the work stops there.
        """
        from PySide6.QtCore import QEventLoop, Qt, QTimer
        from PySide6.QtWidgets import QProgressDialog

        dialog = QProgressDialog(self._window)
        dialog.setObjectName("print-progress")
        dialog.setWindowTitle(title)
        dialog.setLabelText(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)
        loop = QEventLoop()
        finished: list[bool] = []
        failure: list[BaseException] = []

        def step() -> None:
            if dialog.wasCanceled():
                loop.exit()
                return
            try:
                progress = next(steps)
            except StopIteration:
                finished.append(True)
                loop.exit()
                return
            except Exception as exc:  # noqa: BLE001 - raised again below, outside the loop
                failure.append(exc)
                loop.exit()
                return
            dialog.setLabelText(f"{title}\n{progress.label}")
            dialog.setMaximum(max(1, progress.total))
            dialog.setValue(min(progress.done, progress.total))

        timer = QTimer()
        timer.setInterval(0)
        timer.timeout.connect(step)
        timer.start()
        try:
            loop.exec()
        finally:
            timer.stop()
            close = getattr(steps, "close", None)
            if close is not None:
                close()  # a generator ends its painter
            dialog.reset()
            dialog.deleteLater()
        if failure:
            raise failure[0]
        return bool(finished)

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
