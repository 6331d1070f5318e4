"""UI room: the accessibility factory that gives Qt the reader's own interfaces on demand.

Qt asks every installed factory, most recent first, for each class name of an object the
first time assistive technology (or an accessibility event) needs that object. Nothing here
runs unless accessibility is active, and the interfaces' module is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAccessible

from ketreader.log import get

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication, QObject
    from PySide6.QtGui import QAccessibleInterface

    from ketreader.ui.a11y.interfaces import GuideStructure

_log = get("a11y")
# Python must keep the interfaces it hands to Qt alive: Qt's cache only holds pointers.
_handed_out: list[QAccessibleInterface] = []
_structures: list[GuideStructure] = []
_installed = False


def install(app: QCoreApplication) -> None:
    """Install the factory once; cheap enough for start-up (no interface is built here)."""
    global _installed
    if not _installed:
        _installed = True
        QAccessible.installFactory(_factory)
        app.aboutToQuit.connect(release)


def release() -> None:
    """Give back every object-less interface before Python tears its objects down."""
    for structure in _structures:
        structure.release()


def _factory(class_name: str, obj: QObject) -> QAccessibleInterface | None:
    # Called for every class name of every object Qt describes: the cheap tests come first.
    try:
        if class_name == "QApplication":
            from ketreader.ui.a11y.interfaces import ApplicationAccessible

            return _keep(ApplicationAccessible(obj))
        if class_name == "SearchBar":
            # Qt builds the field's own interface once this returns: relate it right after.
            from PySide6.QtCore import QTimer

            from ketreader.ui.a11y.search_access import add_controlling_signal

            QTimer.singleShot(0, obj, lambda: add_controlling_signal(obj))
            return None
        if class_name == "QWidget" and obj.objectName() == "qt_scrollarea_viewport":
            from ketreader.ui.reader_view import ReaderView

            view = obj.parent()
            if isinstance(view, ReaderView):
                from PySide6.QtWidgets import QWidget

                from ketreader.ui.a11y.interfaces import GuideStructure

                assert isinstance(obj, QWidget)
                structure = GuideStructure(obj, view)
                _structures.append(structure)
                return _keep(structure)
    except Exception:  # noqa: BLE001 - Qt calls this from C++: an exception must not escape
        _log.exception("accessible interface for %s failed", class_name)
    return None


def _keep(interface: QAccessibleInterface) -> QAccessibleInterface:
    _handed_out.append(interface)
    return interface
