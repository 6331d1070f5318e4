"""UI room: the ranked search results: notices, then each section with its answer and snippet."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, Signal, Slot
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QTextDocument
from PySide6.QtWidgets import (
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ketreader.search.results import CLOSEST, NO_RESULTS, SOME_WORDS, SearchResult

_HTML_ROLE = Qt.ItemDataRole.UserRole + 1
_ID_ROLE = Qt.ItemDataRole.UserRole + 2
_INSTEAD_ROLE = Qt.ItemDataRole.UserRole + 3  # the query to search as typed, not corrected
_Index = QModelIndex | QPersistentModelIndex
_PADDING = 4
_MAX_DOCUMENTS = 256


class _RichDelegate(QStyledItemDelegate):
    """Paints each row's prepared HTML (snippets are escaped but for their <b>).

    The height a row asks for and the text it paints are laid out at the same width, the
    list's own: a row laid out narrower than it is painted would spill over the next one.
    """

    def __init__(self, parent: QListWidget) -> None:
        super().__init__(parent)
        self._list = parent
        self._documents: dict[tuple[str, int, str], QTextDocument] = {}

    def _width(self) -> int:
        return max(80, self._list.viewport().width() - 2 * _PADDING)

    def _document(self, option: QStyleOptionViewItem, index: _Index) -> QTextDocument:
        text = str(index.data(_HTML_ROLE))
        key = (text, self._width(), option.font.key())
        document = self._documents.get(key)
        if document is None:
            if len(self._documents) > _MAX_DOCUMENTS:
                self._documents.clear()
            document = QTextDocument()
            document.setDocumentMargin(2)
            document.setDefaultFont(option.font)
            document.setHtml(text)
            document.setTextWidth(key[1])
            self._documents[key] = document
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style()
        text_option = QStyleOptionViewItem(option)
        text_option.text = ""
        style.drawControl(
            QStyle.ControlElement.CE_ItemViewItem, text_option, painter, option.widget
        )
        document = self._document(option, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = (
            option.palette.ColorRole.HighlightedText if selected else option.palette.ColorRole.Text
        )
        context.palette.setColor(option.palette.ColorRole.Text, option.palette.color(role))
        painter.save()
        painter.setClipRect(option.rect)
        painter.translate(option.rect.left() + _PADDING, option.rect.top() + 2)
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802
        document = self._document(option, index)
        return QSize(self._width(), int(document.size().height()) + 6)


class ResultsList(QListWidget):
    """Search results; the owner moves the selection and asks which result to open."""

    result_chosen = Signal(str)
    search_instead = Signal(str)  # the query as typed, which a correction replaced

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("results")
        self.setAccessibleName("Search results")
        self.setAccessibleDescription("Sections matching the search, best first.")
        self._delegate = _RichDelegate(self)
        self.setItemDelegate(self._delegate)
        self.setWordWrap(True)
        # Rows are laid out again when the width changes, so each one's height fits its text.
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.itemActivated.connect(self._on_item_activated)
        self.itemClicked.connect(self._on_item_activated)

    def show_result(self, result: SearchResult) -> None:
        self.clear()  # the delegate keeps its laid-out rows: the next keystroke often has them
        if result.common_words_only:
            (message,) = result.notices()
            self._note(f"<i>{html.escape(message)}</i>", message)
        if result.suggestion:
            shown = html.escape(result.suggestion)
            self._note(
                f"<i>Showing results for <b>{shown}</b></i>",
                f"Showing results for {result.suggestion}",
            )
            typed = " ".join(result.query.split())
            instead = QListWidgetItem()
            instead.setData(_HTML_ROLE, f"Search instead for <u>{html.escape(typed)}</u>")
            instead.setData(Qt.ItemDataRole.AccessibleTextRole, f"Search instead for {typed}")
            instead.setData(_INSTEAD_ROLE, result.query)
            self.addItem(instead)
        if result.partial:
            self._note(f"<i>{html.escape(CLOSEST)}</i>", CLOSEST)
        if not result.hits and result.query.strip() and not result.common_words_only:
            self._note(f"<i>{html.escape(NO_RESULTS)}</i>", NO_RESULTS)
        split = result.complete if 0 < result.complete < len(result.hits) else -1
        for number, hit in enumerate(result.hits):
            if number == split:
                self._note(f"<i>{html.escape(SOME_WORDS)}</i>", SOME_WORDS)
            item = QListWidgetItem()
            parent = (
                f" <small>— {html.escape(hit.parent_title)}</small>" if hit.parent_title else ""
            )
            answer = f"<br><b>{html.escape(hit.answer)}</b>" if hit.answer else ""
            item.setData(
                _HTML_ROLE,
                f"<b>{html.escape(hit.title)}</b>{parent}{answer}<br><small>{hit.snippet}</small>",
            )
            spoken = f"{hit.title}. {hit.answer}" if hit.answer else hit.title
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)
            item.setData(_ID_ROLE, hit.id)
            self.addItem(item)
        hits = [r for r in range(self.count()) if self.item(r).data(_ID_ROLE)]
        if hits:
            self.setCurrentRow(hits[0])

    def show_notice(self, text: str) -> None:
        """Only a notice, in place of results (search is not ready yet)."""
        self.clear()
        self._note(f"<i>{html.escape(text)}</i>", text)

    def _note(self, text: str, spoken: str) -> None:
        note = QListWidgetItem()
        note.setData(_HTML_ROLE, text)
        note.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)
        note.setFlags(Qt.ItemFlag.NoItemFlags)
        self.addItem(note)

    def spoken_rows(self) -> tuple[list[str], list[str]]:
        """What a screen reader should say of the list: its notices, then its hits' titles.

        "Search instead for" is neither: a choice among the rows, not a result.
        """
        notices: list[str] = []
        hits: list[str] = []
        for row in range(self.count()):
            item = self.item(row)
            spoken = str(item.data(Qt.ItemDataRole.AccessibleTextRole) or "")
            if item.data(_ID_ROLE):
                hits.append(spoken)
            elif not item.data(_INSTEAD_ROLE) and spoken:
                notices.append(spoken)
        return notices, hits

    def _selectable_rows(self) -> list[int]:
        return [
            r
            for r in range(self.count())
            if self.item(r).data(_ID_ROLE) or self.item(r).data(_INSTEAD_ROLE)
        ]

    def move_selection(self, step: int) -> None:
        rows = self._selectable_rows()
        if not rows:
            return
        current = self.currentRow()
        position = rows.index(current) if current in rows else -1
        self.setCurrentRow(rows[max(0, min(len(rows) - 1, position + step))])

    @Slot(int)
    def follow_search_field(self, step: int) -> None:  # accessibility (issue 15)
        """Down in the search field chose a result: focus it, so it is announced."""
        from ketreader.ui.a11y.search_access import follow_choice

        follow_choice(self, step)

    def current_id(self) -> str | None:
        item = self.currentItem()
        value = item.data(_ID_ROLE) if item is not None else None
        return value if isinstance(value, str) else None

    def activate_current(self) -> None:
        """Enter: open the chosen section, or search as typed from "Search instead for"."""
        item = self.currentItem()
        if item is not None:
            self._on_item_activated(item)

    @Slot(QListWidgetItem)
    def _on_item_activated(self, item: QListWidgetItem) -> None:
        value = item.data(_ID_ROLE)
        if isinstance(value, str):
            self.result_chosen.emit(value)
            return
        typed = item.data(_INSTEAD_ROLE)
        if isinstance(typed, str):
            self.search_instead.emit(typed)
