"""UI room: every action as one row (name, menu, keys, slot, and the rule that allows it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from ketreader.preferences import LOCKED_TIP, Preferences

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu, QToolBar, QWidget

Rule = Callable[[Preferences], bool]


def always(_: Preferences) -> bool:
    return True


def allowed(key: str) -> Rule:
    """Shown only when the policy allows it (``allow_print`` and the like)."""
    return lambda prefs: prefs.flag(key)


def not_kiosk(prefs: Preferences) -> bool:
    """A kiosk is the trainee's whole screen: nothing that leaves or resizes the guide."""
    return not prefs.kiosk


def both(*rules: Rule) -> Rule:
    return lambda prefs: all(rule(prefs) for rule in rules)


class Tool(NamedTuple):
    """A toolbar button for an action: its place (a new ten starts a new group), its icon
    (a drawing in ui/toolbar_icons.py) and the rule that shows it (a kiosk shows fewer)."""

    order: int
    icon: str
    rule: Rule = always


class ActionSpec(NamedTuple):
    """One action. ``keys`` are "std:Name" for a QKeySequence.StandardKey, else key text.

    ``rule`` decides whether the action exists at all; ``setting`` names the setting it
    changes, so that a locked setting shows the action disabled, saying who set it.
    ``toolbar``, if given, puts the action on the toolbar too.
    """

    name: str
    menu: str | None  # "File", "File/Export", "View/Theme", ...; None: a shortcut only
    text: str
    slot: str  # a method of the window, or of one of its controllers ("search.focus")
    keys: tuple[str, ...] = ()
    rule: Rule = always
    setting: str | None = None
    checkable: bool = False
    separator_before: bool = False
    toolbar: Tool | None = None


MENUS = ("&File", "&View", "&Go", "&Search", "&Help")

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("open-pack", "&File", "&Open Pack…", "open_pack_dialog", ("std:Open",),
               both(not_kiosk, allowed("allow_open_pack"))),
    ActionSpec("export-html", "&File/&Export", "Guide as &HTML…", "exports.export_html",
               rule=allowed("allow_export")),
    ActionSpec("export-pdf", "&File/&Export", "Guide as &PDF…", "exports.export_guide_pdf",
               rule=allowed("allow_export")),
    ActionSpec("export-section-pdf", "&File/&Export", "Current &Section as PDF…",
               "exports.export_section_pdf", rule=allowed("allow_export")),
    ActionSpec("print", "&File", "&Print…", "exports.print_guide", ("std:Print",),
               allowed("allow_print"), toolbar=Tool(30, "print", not_kiosk)),
    ActionSpec("quit", "&File", "&Quit", "close", ("Ctrl+Q",), not_kiosk,
               separator_before=True),
    ActionSpec("zoom-out", "&View", "Zoom &Out", "appearance.zoom_out", ("std:ZoomOut", "Ctrl+-"),
               setting="zoom", toolbar=Tool(20, "zoom-out")),
    ActionSpec("zoom-in", "&View", "Zoom &In", "appearance.zoom_in",
               ("std:ZoomIn", "Ctrl+=", "Ctrl++"),
               setting="zoom", toolbar=Tool(21, "zoom-in")),
    ActionSpec("zoom-reset", "&View", "&Actual Size", "appearance.zoom_reset", ("Ctrl+0",),
               setting="zoom"),
    ActionSpec("theme-system", "&View/&Theme", "&System", "appearance.choose_theme:system",
               setting="theme", checkable=True),
    ActionSpec("theme-light", "&View/&Theme", "&Light", "appearance.choose_theme:light",
               setting="theme", checkable=True),
    ActionSpec("theme-dark", "&View/&Theme", "&Dark", "appearance.choose_theme:dark",
               setting="theme", checkable=True),
    ActionSpec("theme-high-contrast", "&View/&Theme", "&High Contrast",
               "appearance.choose_theme:high-contrast", setting="theme", checkable=True),
    ActionSpec("toggle-sidebar", "&View", "Show &Sidebar", "toggle_sidebar", ("Ctrl+Shift+B",),
               checkable=True, separator_before=True),
    ActionSpec("toggle-toolbar", "&View", "Show Tool&bar", "toggle_toolbar", (),
               not_kiosk, checkable=True),
    ActionSpec("caret-browsing", "&View", "&Caret Browsing", "toggle_caret_browsing", ("F7",),
               checkable=True),
    ActionSpec("full-screen", "&View", "&Full Screen", "toggle_full_screen",
               ("std:FullScreen", "F11"), not_kiosk, checkable=True),
    # Read aloud (ui/read_aloud_control.py): disabled, saying why, without a speech service.
    ActionSpec("read-aloud", "&View/&Read Aloud", "&Read Aloud", "read_aloud.toggle",
               ("Ctrl+Shift+R",), allowed("allow_read_aloud")),
    ActionSpec("stop-reading", "&View/&Read Aloud", "&Stop Reading", "read_aloud.stop",
               ("Ctrl+Shift+T",), allowed("allow_read_aloud")),
    ActionSpec("read-faster", "&View/&Read Aloud", "Read &Faster", "read_aloud.faster",
               rule=allowed("allow_read_aloud"), separator_before=True),
    ActionSpec("read-slower", "&View/&Read Aloud", "Read S&lower", "read_aloud.slower",
               rule=allowed("allow_read_aloud")),
    ActionSpec("read-voice", "&View/&Read Aloud", "&Voice and Speed…", "read_aloud.choose_voice",
               rule=allowed("allow_read_aloud")),
    ActionSpec("back", "&Go", "&Back", "go_back", ("std:Back", "Alt+Left"),
               toolbar=Tool(10, "back")),
    ActionSpec("forward", "&Go", "&Forward", "go_forward", ("std:Forward", "Alt+Right"),
               toolbar=Tool(11, "forward")),
    ActionSpec("home", "&Go", "&Home", "go_home", ("Alt+Home",),
               toolbar=Tool(12, "home")),
    ActionSpec("next-section", "&Go", "&Next Section", "next_section", ("Ctrl+PgDown",),
               separator_before=True),
    ActionSpec("previous-section", "&Go", "&Previous Section", "previous_section",
               ("Ctrl+PgUp",)),
    ActionSpec("copy-link", "&Go", "&Copy Link to Section", "copy_section_link",
               ("Ctrl+Shift+C",), separator_before=True),
    ActionSpec("find-in-page", "&Search", "&Find in Page…", "finder.find_in_page", ("std:Find",)),
    ActionSpec("find", "&Search", "&Search the Guide…", "search.focus", ("Ctrl+K",)),
    ActionSpec("find-next", "&Search", "Find &Next", "finder.find_next", ("std:FindNext", "F3"),
               separator_before=True),
    ActionSpec("find-previous", "&Search", "Find &Previous", "finder.find_previous",
               ("std:FindPrevious", "Shift+F3")),
    ActionSpec("next-pane", None, "Next Pane", "cycle_pane:1", ("F6",)),
    ActionSpec("previous-pane", None, "Previous Pane", "cycle_pane:-1", ("Shift+F6",)),
    ActionSpec("shortcuts", "&Help", "&Keyboard Shortcuts", "show_shortcuts",
               ("std:HelpContents",)),
    ActionSpec("about-guide", "&Help", "About this &Guide", "about_guide"),
    ActionSpec("about-app", "&Help", "&About ketreader", "about_app"),
)  # fmt: skip


def resolve_slot(owner: object, slot: str) -> Callable[[], object]:
    """``"search.focus"`` on the window is ``window.search.focus``; ``"f:x"`` is ``f("x")``."""
    path, _, argument = slot.partition(":")
    target = owner
    for part in path.split("."):
        target = getattr(target, part)
    if not callable(target):
        raise TypeError(f"{slot} is not callable")
    if not argument:
        return target
    value: object = int(argument) if argument.lstrip("-").isdigit() else argument
    function = target
    return lambda: function(value)


def _say_locked(owner: QWidget) -> None:
    from PySide6.QtWidgets import QMainWindow

    if isinstance(owner, QMainWindow):
        owner.statusBar().showMessage(LOCKED_TIP, 4000)


def build_actions(
    owner: QWidget,
    prefs: Preferences,
    menus: dict[str, QMenu],
    toolbar: QToolBar | None = None,
) -> dict[str, QAction]:
    """Create the actions the rules allow, in the window, its menus and toolbar; by name."""
    from PySide6.QtGui import QAction, QKeySequence

    made: dict[str, QAction] = {}
    tools: list[tuple[Tool, QAction]] = []
    for spec in ACTIONS:
        if not spec.rule(prefs):
            continue
        action = QAction(spec.text, owner)
        action.setObjectName(spec.name)
        action.setCheckable(spec.checkable)
        sequences: list[QKeySequence] = []
        for key in spec.keys:
            if key.startswith("std:"):
                standard = getattr(QKeySequence.StandardKey, key[4:])
                sequences.extend(QKeySequence.keyBindings(standard))
            else:
                sequences.append(QKeySequence(key))
        # The standard binding and the spelled-out one are often the same: keep each once.
        unique = dict.fromkeys(s.toString() for s in sequences if not s.isEmpty())
        action.setShortcuts([QKeySequence(s) for s in unique])
        if spec.setting is not None and prefs.locked(spec.setting):
            action.setEnabled(False)
            action.setToolTip(LOCKED_TIP)
            action.setStatusTip(LOCKED_TIP)
            # A disabled action lets its keys through to the widget with the focus (Ctrl+-
            # folded the whole outline): a stand-in takes them and only says why.
            keeper = QAction(owner)
            keeper.setObjectName(f"{spec.name}-locked")
            keeper.setShortcuts(action.shortcuts())
            keeper.triggered.connect(lambda: _say_locked(owner))
            owner.addAction(keeper)
        action.triggered.connect(resolve_slot(owner, spec.slot))
        owner.addAction(action)  # shortcuts work in full screen, with the menu bar hidden too
        if spec.menu is not None:
            menu = menu_for(owner, menus, spec.menu)
            if spec.separator_before:
                menu.addSeparator()
            menu.addAction(action)
        if spec.toolbar is not None and spec.toolbar.rule(prefs):
            tools.append((spec.toolbar, action))
        made[spec.name] = action
    if toolbar is not None:
        fill_toolbar(toolbar, tools)
    return made


def fill_toolbar(toolbar: QToolBar, tools: list[tuple[Tool, QAction]]) -> None:
    """The toolbar's buttons in their order, groups apart, icons in the toolbar's colour."""
    group = None
    for tool, action in sorted(tools, key=lambda t: t[0].order):
        if group is not None and tool.order // 10 != group:
            toolbar.addSeparator()
        group = tool.order // 10
        toolbar.addAction(action)
        button = toolbar.widgetForAction(action)
        if button is not None:
            button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
    tint_toolbar(toolbar)


def tint_toolbar(toolbar: QToolBar) -> None:
    """Draw the toolbar's icons again in its text colour (after a theme change)."""
    from PySide6.QtWidgets import QApplication

    from ketreader.ui.toolbar_icons import toolbar_icon

    # The application's palette, not the toolbar's: right after a theme change the new
    # palette has not reached the toolbar yet, and its icons would keep the old colour.
    colour = QApplication.palette().buttonText().color()
    icons = {spec.name: spec.toolbar.icon for spec in ACTIONS if spec.toolbar is not None}
    for action in toolbar.actions():
        if action.objectName() in icons:
            action.setIcon(toolbar_icon(icons[action.objectName()], colour))


def menu_for(owner: QWidget, menus: dict[str, QMenu], path: str) -> QMenu:
    """The menu at ``path`` ("&File/&Export"), creating submenus on first use."""
    if path in menus:
        return menus[path]
    parent_path, _, name = path.rpartition("/")
    menu = menu_for(owner, menus, parent_path).addMenu(name)
    menu.setToolTipsVisible(True)
    menus[path] = menu
    return menu
