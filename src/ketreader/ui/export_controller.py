"""UI room: File > Export (HTML, PDF) and Print, where the policy allows them."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, overload

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QMainWindow

from ketreader.atomic_write import replacing
from ketreader.library import Library
from ketreader.log import get
from ketreader.paths import documents_dir
from ketreader.preferences import Preferences

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from ketreader.render.model import RenderedDocument
    from ketreader.ui.print_layout import Progress

_log = get("export")

# The longest printout shown in the print preview: about 70 pages, which the preview paints
# in well under a second. The preview paints every page at once, on the window's thread,
# and keeps them all; a longer printout goes straight to the print dialog and is painted
# a few pages at a time, with its progress shown and a Cancel button.
PREVIEW_CHARS = 150_000  # the same length as print_layout.PART_CHARS: one part
# Characters of text on a printed page, for the estimate a reader chooses by (about 1,900
# in the benchmark packs: 26,126 pages for 49.7 million characters).
TEXT_PER_PAGE = 1_900
# Beyond this many pages, Print asks whether to print the section being read instead.
ASK_PAGES = 70


class CancelledError(Exception):
    """The reader cancelled a long export, or the application is quitting."""


class _LibraryDocuments(Sequence["RenderedDocument"]):
    """A library's documents, each read when it is asked for (a section needs only its own)."""

    def __init__(self, library: Library) -> None:
        self._library = library

    def __len__(self) -> int:
        return self._library.document_count

    @overload
    def __getitem__(self, index: int) -> RenderedDocument: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[RenderedDocument]: ...
    def __getitem__(self, index: int | slice) -> RenderedDocument | Sequence[RenderedDocument]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self._library.document(index if index >= 0 else len(self) + index)


class _Source:
    """A library seen as printing reads a pack (see render.export.PrintSource)."""

    def __init__(self, library: Library, documents: Sequence[RenderedDocument]) -> None:
        self.title = library.title
        self.sections = library.sections
        self.documents = documents
        self.section = library.section


def _gathered(library: Library) -> Generator[Progress, None, _Source]:
    """Every document of ``library``, read a few at a time between turns of the event loop.

    The whole rendered pack at once would be read in one go: seconds for a long guide.
    """
    from ketreader.ui.print_layout import STEP_SECONDS, Progress

    count = library.document_count
    documents = []
    started = time.monotonic()
    for index in range(count):
        documents.append(library.document(index))
        if time.monotonic() - started > STEP_SECONDS:
            yield Progress("Gathering the pages…", index + 1, count)
            started = time.monotonic()
    return _Source(library, tuple(documents))


def _text_length(library: Library) -> int:
    """The guide's length in characters of text, from its outline alone: nothing is read."""
    ends: dict[int, int] = {}
    for section in library.sections:
        if section.spans:
            ends[section.document] = max(ends.get(section.document, 0), max(section.spans))
    return sum(ends.values())


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
            source = yield from self._source(library, section)
            content = printable(source, section)  # for a long guide, a twentieth of a second
            yield Progress("Gathering the pages…", 1, 1)
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
        # Measured from the outline, before anything is read: a long guide is read in steps.
        pages = max(1, _text_length(library) // TEXT_PER_PAGE)
        section: str | None = None
        if pages > ASK_PAGES:
            section = self._current_section()
            extent = self._choose_extent(pages, section)
            if extent is None:
                return
            if extent == "whole":
                section = None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        set_page(printer)
        if section is None and pages > ASK_PAGES:
            self._print_in_steps(printer, None, library.title)
            return
        source = _Source(library, _LibraryDocuments(library))
        content = printable(source, section)
        if len(content.html) > PREVIEW_CHARS:
            self._print_in_steps(printer, section, content.title)
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

    def _choose_extent(self, pages: int, section: str | None) -> Literal["section", "whole"] | None:
        """For a long guide: print the section being read, or the whole guide, or nothing."""
        from PySide6.QtWidgets import QMessageBox

        found = self._library().section(section) if section is not None else None
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

    def _source(self, library: Library, section: str | None) -> Generator[Progress, None, _Source]:
        """What printing reads: for the whole guide, every document, read in steps."""
        if section is None:
            return (yield from _gathered(library))
        return _Source(library, _LibraryDocuments(library))  # only the section's are read

    def _print_in_steps(self, printer: QPrinter, section: str | None, title: str) -> None:
        """A long printout: the print dialog, then the pages a few at a time, with progress."""
        from ketreader.render.export import printable
        from ketreader.ui.print_layout import Progress, printout_steps

        if self.print_to_file_allowed:
            from PySide6.QtPrintSupport import QPrintDialog

            dialog = QPrintDialog(printer, self._window)
            if dialog.exec() != QPrintDialog.DialogCode.Accepted:
                return
        elif not self._choose_real_printer(printer):
            return
        pages: list[int] = []
        library = self._library()

        def steps() -> Iterator[Progress]:
            yield Progress("Gathering the pages…", 0, 1)
            source = yield from self._source(library, section)
            content = printable(source, section)  # for a long guide, a twentieth of a second
            yield Progress("Gathering the pages…", 1, 1)
            yield from printout_steps(content, library.resource, printer, pages)

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
            # A full garbage collection walks every object: with a long guide's documents
            # read, a tenth of a second or more, in the middle of a step. What the steps
            # have made so far is set aside from it until they end (gc.unfreeze below).
            # WORKAROUND for https://docs.python.org/3/library/gc.html#gc.freeze
            gc.freeze()
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
            gc.unfreeze()
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
