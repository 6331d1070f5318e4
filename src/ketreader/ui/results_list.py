"""UI room: the ranked search results, each with title, parent and emphasised snippet."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, Signal, Slot
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QTextDocument
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ketreader.search.index import SearchResult

_HTML_ROLE = Qt.ItemDataRole.UserRole + 1
_ID_ROLE = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex


class _RichDelegate(QStyledItemDelegate):
    """Paints each result's prepared HTML (the snippet is escaped but for its <b>)."""

    def _document(self, option: QStyleOptionViewItem, index: _Index) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setHtml(str(index.data(_HTML_ROLE)))
        document.setTextWidth(max(80, option.rect.width() - 8))
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
        painter.translate(option.rect.left() + 4, option.rect.top() + 2)
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802
        document = self._document(option, index)
        return QSize(int(document.idealWidth()), int(document.size().height()) + 6)


class ResultsList(QListWidget):
    """Search results; the owner moves the selection and asks which result to open."""

    result_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("results")
        self.setAccessibleName("Search results")
        self.setAccessibleDescription("Sections matching the search, best first.")
        self.setItemDelegate(_RichDelegate(self))
        self.setWordWrap(True)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.itemActivated.connect(self._on_item_activated)
        self.itemClicked.connect(self._on_item_activated)

    def show_result(self, result: SearchResult) -> None:
        self.clear()
        if result.suggestion:
            note = QListWidgetItem()
            note.setData(
                _HTML_ROLE, f"<i>Did you mean: <b>{html.escape(result.suggestion)}</b>?</i>"
            )
            note.setData(Qt.ItemDataRole.AccessibleTextRole, f"Did you mean {result.suggestion}?")
            note.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(note)
        if not result.hits and result.query.strip():
            empty = QListWidgetItem()
            empty.setData(_HTML_ROLE, "<i>No results.</i>")
            empty.setData(Qt.ItemDataRole.AccessibleTextRole, "No results")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(empty)
        for hit in result.hits:
            item = QListWidgetItem()
            parent = (
                f" <small>— {html.escape(hit.parent_title)}</small>" if hit.parent_title else ""
            )
            item.setData(
                _HTML_ROLE,
                f"<b>{html.escape(hit.title)}</b>{parent}<br><small>{hit.snippet}</small>",
            )
            item.setData(Qt.ItemDataRole.AccessibleTextRole, hit.title)
            item.setData(_ID_ROLE, hit.id)
            self.addItem(item)
        first = self._selectable_rows()
        if first:
            self.setCurrentRow(first[0])

    def _selectable_rows(self) -> list[int]:
        return [r for r in range(self.count()) if self.item(r).data(_ID_ROLE)]

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

    @Slot(QListWidgetItem)
    def _on_item_activated(self, item: QListWidgetItem) -> None:
        value = item.data(_ID_ROLE)
        if isinstance(value, str):
            self.result_chosen.emit(value)
