"""UI room: the accessibility factory that gives Qt the reader's own interfaces on demand.

Qt asks every installed factory, most recent first, for each class name of an object the
first time assistive technology (or an accessibility event) needs that object. Nothing here
runs unless accessibility is active, and the interfaces' module is imported on first use.
Nothing here is imported before the first paint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAccessible

from ketreader.log import get

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication, QObject
    from PySide6.QtGui import QAccessibleInterface

    from ketreader.ui.a11y.interfaces import GuideStructure
    from ketreader.ui.main_window import MainWindow

_log = get("a11y")
# Python must keep the interfaces it hands to Qt alive: Qt's cache only holds pointers.
_handed_out: list[QAccessibleInterface] = []
_structures: list[GuideStructure] = []
_installed = False


def install(window: MainWindow) -> None:
    """Install the factory, right after the first paint (touching QAccessible costs 4 ms).

    When assistive technology is already listening, Qt has by then made its own interfaces
    for what the first paint showed: those this factory replaces are dropped from Qt's cache
    and made again here, and screen readers are told the view's children changed.
    """
    global _installed
    if _installed:
        return
    _installed = True
    QAccessible.installFactory(_factory)
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(release)
        if QAccessible.isActive():
            _replace_made_interfaces(app, window)


def _replace_made_interfaces(app: QCoreApplication, window: MainWindow) -> None:
    from PySide6.QtGui import QAccessibleEvent

    from ketreader.ui.a11y.interfaces import ApplicationAccessible, GuideStructure
    from ketreader.ui.a11y.search_access import add_controlling_signal

    for target, ours in ((app, ApplicationAccessible), (window.view.viewport(), GuideStructure)):
        made = QAccessible.queryAccessibleInterface(target)
        if made is not None and not isinstance(made, ours):
            _log.debug("accessible interface of %s made again", type(target).__name__)
            QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(made))
            QAccessible.queryAccessibleInterface(target)  # made again, by the factory
    add_controlling_signal(window.search.bar)
    QAccessible.updateAccessibility(QAccessibleEvent(window.view, QAccessible.Event.ObjectReorder))


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
