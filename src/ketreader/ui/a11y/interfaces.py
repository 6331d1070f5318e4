"""UI room: accessible interfaces for the guide's structure and for the application itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRect, QTimer, QUrl
from PySide6.QtGui import (
    QAccessible,
    QAccessibleActionInterface,
    QAccessibleAttributesInterface,
    QAccessibleEvent,
    QAccessibleInterface,
    QAccessibleObject,
    QGuiApplication,
    QTextCursor,
    QWindow,
)
from PySide6.QtWidgets import QAccessibleWidget, QWidget

from ketreader.ui.a11y.structure import Item, read_structure

if TYPE_CHECKING:
    from ketreader.ui.reader_view import ReaderView

PRODUCT_DESCRIPTION = "Offline reader for the clinical-education guide “What is ketamine?”"

Role = QAccessible.Role
Text = QAccessible.Text
_ROLES = {"heading": Role.Heading, "link": Role.Link, "note": Role.Note}


# WORKAROUND for https://doc.qt.io/qtforpython-6/PySide6/QtGui/QAccessibleInterface.html :
# PySide6 types interface_cast's ``void *`` as ``int``, but an override must return a
# shiboken6.VoidPtr: an int or None makes Qt dereference garbage (a crash, shown in
# docs/accessibility.md). VoidPtr(0) means "not implemented".
def _pointer(part: shiboken6.Object | None) -> shiboken6.VoidPtr:
    return shiboken6.VoidPtr(0 if part is None else shiboken6.getCppPointer(part)[0])


class _Attributes(QAccessibleAttributesInterface):
    """Object attributes: AT-SPI gets ``level`` from Level and Custom's pairs as they are."""

    def __init__(self, level: int = 0, custom: dict[str, str] | None = None) -> None:
        super().__init__()
        self._values: dict[QAccessible.Attribute, Any] = {}
        if level:
            self._values[QAccessible.Attribute.Level] = level
        if custom:
            self._values[QAccessible.Attribute.Custom] = custom

    def attributeKeys(self) -> list[QAccessible.Attribute]:  # noqa: N802
        return list(self._values)

    def attributeValue(self, key: QAccessible.Attribute) -> Any:  # noqa: N802
        return self._values.get(key)


class _Actions(QAccessibleActionInterface):
    """Named actions, done by calling Python."""

    def __init__(self, actions: dict[str, Callable[[], None]]) -> None:
        super().__init__()
        self._actions = actions

    def actionNames(self) -> list[str]:  # noqa: N802
        return list(self._actions)

    def doAction(self, name: str) -> None:  # noqa: N802
        action = self._actions.get(name)
        if action is not None:
            action()

    def keyBindingsForAction(self, name: str) -> list[str]:  # noqa: N802
        return []


# PySide6's stubs type child(), parent(), window() ... as never None; Qt's API returns nullptr
# for "none", so the overrides below return None and tell mypy so.


class GuideNode(QAccessibleInterface):
    """One heading, link or safety note: an object-less child of the guide's structure."""

    def __init__(self, owner: GuideStructure, item: Item) -> None:
        super().__init__()
        self.owner = owner
        self.item = item
        self.valid = True
        custom = {"href": item.target} if item.kind == "link" else None
        self._attributes = _Attributes(item.level, custom)
        actions = {QAccessibleActionInterface.setFocusAction(): self._show}
        if item.kind == "link":
            actions[QAccessibleActionInterface.pressAction()] = self._follow
        self._actions = _Actions(actions)

    def _show(self) -> None:
        self.owner.show_item(self.item)

    def _follow(self) -> None:
        self.owner.follow_link(self.item)

    def isValid(self) -> bool:  # noqa: N802
        return self.valid

    def object(self) -> QObject | None:  # type: ignore[override]
        return None

    def window(self) -> QWindow | None:  # type: ignore[override]
        return self.owner.window()

    def parent(self) -> QAccessibleInterface:
        return self.owner

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        return None

    def childCount(self) -> int:  # noqa: N802
        return 0

    def indexOfChild(self, child: QAccessibleInterface) -> int:  # noqa: N802
        return -1

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]  # noqa: N802
        return None

    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]  # noqa: N802
        return None

    def relations(self, match: Any = None) -> list[tuple[QAccessibleInterface, Any]]:
        """An internal link "flows to" the heading it goes to: its target, in the tree.

        Qt's pairs name the other object's relation to this one (the heading "flows from"
        the link); its AT-SPI bridge turns that into this link's FLOWS_TO.
        """
        target = self.owner.link_target(self.item)
        return [(target, QAccessible.RelationFlag.FlowsFrom)] if target is not None else []

    def text(self, kind: QAccessible.Text) -> str:
        if kind == Text.Name:
            return self.item.text
        if kind == Text.Description:
            return self.owner.describe(self.item)
        return ""

    def setText(self, kind: QAccessible.Text, text: str) -> None:  # noqa: N802
        return None

    def rect(self) -> QRect:
        return self.owner.item_rect(self.item)

    def role(self) -> QAccessible.Role:
        return _ROLES[self.item.kind]

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        state.readOnly = True
        if self.item.kind == "link":
            state.focusable = True
            state.linked = True
            state.focused = self.owner.focused_link() == self.item
        if not self.owner.visible_rect().intersects(self.rect()):
            state.offscreen = True
        return state

    def interface_cast(self, kind: QAccessible.InterfaceType) -> shiboken6.VoidPtr:  # type: ignore[override]
        if kind == QAccessible.InterfaceType.AttributesInterface:
            return _pointer(self._attributes)
        if kind == QAccessible.InterfaceType.ActionInterface:
            return _pointer(self._actions)
        return _pointer(None)


class GuideStructure(QAccessibleWidget):
    """The reader's viewport as a document whose children are the guide's structure.

    The text view keeps Qt's own interface (its whole text, caret and selection, which
    PySide6 cannot re-implement: QAccessibleTextInterface's ``attributes``, ``selection``
    and ``textAtOffset`` take output pointers and are not bound). Its viewport is a child
    object Qt asks the factory for, and this interface hangs the headings, links and notes
    under it.
    """

    def __init__(self, viewport: QWidget, view: ReaderView) -> None:
        super().__init__(viewport, Role.Document, "")
        self.view = view
        self._nodes: list[GuideNode] | None = None
        self._focused_link: Item | None = None
        self._reorder = QTimer(viewport)
        self._reorder.setSingleShot(True)
        self._reorder.setInterval(0)
        self._reorder.timeout.connect(self._announce_reorder)
        view.document().contentsChanged.connect(self._invalidate)
        self._tabs = _AfterTab(view, self._follow_keyboard_link)

    # -- the structure -------------------------------------------------------------------

    def nodes(self) -> list[GuideNode]:
        if self._nodes is None:
            rendered = self.view.rendered
            notes = rendered.notes if rendered is not None else ()
            self._nodes = [GuideNode(self, item) for item in read_structure(
                self.view.document(), notes)]  # fmt: skip
        return self._nodes

    def _invalidate(self) -> None:
        if self._nodes is None:
            return
        for node in self._nodes:
            node.valid = False
        # Qt's cache owns the interfaces it has handed out: delete them there, then here.
        for node in self._nodes:
            QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(node))
        self._nodes = None
        self._reorder.start()

    def _announce_reorder(self) -> None:
        QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.ObjectReorder))

    def release(self) -> None:
        """Hand every node back before Python's objects go (at quit)."""
        self._invalidate()
        self._reorder.stop()

    # -- QAccessibleInterface --------------------------------------------------------------

    def text(self, kind: QAccessible.Text) -> str:
        nodes = self.nodes()
        if kind == Text.Name:
            title = next((n.item.text for n in nodes if n.item.level == 1), "")
            return title or self.view.accessibleName()
        if kind == Text.Description:
            counts = {k: sum(n.item.kind == k for n in nodes) for k in ("heading", "link")}
            return f"{counts['heading']} headings, {counts['link']} links"
        return str(super().text(kind))

    def childCount(self) -> int:  # noqa: N802
        return len(self.nodes())

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        nodes = self.nodes()
        return nodes[index] if 0 <= index < len(nodes) else None

    def indexOfChild(self, child: QAccessibleInterface) -> int:  # noqa: N802
        for index, node in enumerate(self.nodes()):
            if node is child:
                return index
        return -1

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]  # noqa: N802
        return next((n for n in self.nodes() if n.rect().contains(x, y)), None)

    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]  # noqa: N802
        focused = self._focused_link
        return next((n for n in self.nodes() if n.item == focused), None)

    # -- geometry and actions, for the nodes ---------------------------------------------

    def visible_rect(self) -> QRect:
        viewport = self.view.viewport()
        return QRect(viewport.mapToGlobal(viewport.rect().topLeft()), viewport.size())

    def item_rect(self, item: Item) -> QRect:
        """Screen rectangle of the item's text (whole lines when it wraps)."""
        first = self.view.cursorRect(self._cursor(item.start))
        last = self.view.cursorRect(self._cursor(item.end))
        viewport = self.view.viewport()
        if first.top() == last.top():
            area = QRect(first.topLeft(), last.bottomRight())
        else:
            area = QRect(0, first.top(), viewport.width(), last.bottom() - first.top())
        return QRect(viewport.mapToGlobal(area.topLeft()), area.size())

    def _cursor(self, position: int) -> QTextCursor:
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(min(position, self.view.document().characterCount() - 1))
        return cursor

    def describe(self, item: Item) -> str:
        if item.kind == "heading":
            return f"Heading level {item.level}"
        if item.kind == "note":
            return "Safety note"
        target = self.link_target(item)
        if target is not None:
            return f"Link to the section “{target.item.text}”"
        if item.target.startswith("#"):
            return "Link within the guide"
        return f"External link to {item.target}"

    def show_item(self, item: Item) -> None:
        self.view.setTextCursor(self._cursor(item.start))
        self.view.ensureCursorVisible()
        self.view.setFocus()

    def follow_link(self, item: Item) -> None:
        self.view.anchorClicked.emit(QUrl(item.target))

    def link_target(self, item: Item) -> GuideNode | None:
        if item.kind != "link" or not item.target.startswith("#"):
            return None
        anchor = item.target[1:]
        return next((n for n in self.nodes() if anchor in n.item.anchors), None)

    def focused_link(self) -> Item | None:
        return self._focused_link

    def _follow_keyboard_link(self) -> None:
        """Tab in the text selects the next link: tell assistive technology it has focus."""
        cursor = self.view.textCursor()
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        link = next(
            (n for n in self.nodes() if n.item.kind == "link" and n.item.start == start
             and n.item.end == end),
            None,
        )  # fmt: skip
        self._focused_link = link.item if link is not None else None
        if link is not None and self.view.hasFocus():
            QAccessible.updateAccessibility(QAccessibleEvent(link, QAccessible.Event.Focus))


class _AfterTab(QObject):
    """Calls back once the view has handled Tab or Shift+Tab (it moves between links then).

    QTextBrowser selects the next link without emitting selectionChanged, highlighted or
    cursorPositionChanged, so the key itself is the only sign.
    """

    def __init__(self, view: ReaderView, callback: Callable[[], None]) -> None:
        super().__init__(view)
        self._callback = callback
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress:
            from PySide6.QtGui import QKeyEvent

            from ketreader.ui.qt_namespace import qt

            assert isinstance(event, QKeyEvent)
            if event.key() in (qt().Key.Key_Tab, qt().Key.Key_Backtab):
                QTimer.singleShot(0, self, self._callback)
        return False


class ApplicationAccessible(QAccessibleObject):
    """The application object, described as the product instead of the interpreter's path."""

    def __init__(self, app: QObject) -> None:
        super().__init__(app)

    def _roots(self) -> list[QAccessibleInterface]:
        from PySide6.QtCore import Qt

        roots = []
        for window in QGuiApplication.topLevelWindows():
            # Popups and the desktop are not the application's windows, as in Qt's own.
            if window.type() in (Qt.WindowType.Popup, Qt.WindowType.Desktop):
                continue
            root = window.accessibleRoot()
            if root is not None and root.object() is not None:
                roots.append(root)
        return roots

    def text(self, kind: QAccessible.Text) -> str:
        if kind == Text.Name:
            return QGuiApplication.applicationName()
        if kind == Text.Description:
            return PRODUCT_DESCRIPTION
        return ""

    def role(self) -> QAccessible.Role:
        return Role.Application

    def state(self) -> QAccessible.State:
        return QAccessible.State()

    def parent(self) -> QAccessibleInterface | None:  # type: ignore[override]
        return None

    def childCount(self) -> int:  # noqa: N802
        return len(self._roots())

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        roots = self._roots()
        return roots[index] if 0 <= index < len(roots) else None

    def indexOfChild(self, child: QAccessibleInterface) -> int:  # noqa: N802
        target = child.object() if child is not None else None
        for index, root in enumerate(self._roots()):
            if root.object() is target:
                return index
        return -1

    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]  # noqa: N802
        window = QGuiApplication.focusWindow()
        return window.accessibleRoot() if window is not None else None
