"""A11y test room: walks an application's AT-SPI tree with the system Python's pyatspi; JSON out.

Run with /usr/bin/python3 (Debian's python3-pyatspi cannot be imported from a virtual
environment). Commands:

    dump APP                  every node of APP, flat, in document order
    wait APP ROLE [NAME]      poll until a node with ROLE (and NAME) exists; prints it
    events APP TYPES -- CMD   listen for the event TYPES (comma-separated), run CMD, collect
                              events until one of --until arrives or --timeout passes
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import time
from typing import Any

POLL_SECONDS = 0.1


def _pyatspi() -> Any:
    return importlib.import_module("pyatspi")


def _key(acc: Any) -> str:
    """A stable identity for an accessible object: its D-Bus path."""
    return str(acc.path)


def find_app(name: str) -> Any | None:
    desktop = _pyatspi().Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is not None and app.name == name:
            return app
    return None


def _states(acc: Any) -> list[str]:
    pyatspi = _pyatspi()
    names = []
    state_set = acc.getState()
    for state in state_set.getStates():
        names.append(pyatspi.stateToString(state).replace("_", "-"))
    return sorted(names)


def _relations(acc: Any) -> list[tuple[str, list[Any]]]:
    pyatspi = _pyatspi()
    found = []
    for relation in acc.getRelationSet():
        kind = pyatspi.relationToString(relation.getRelationType()).replace("_", "-")
        targets = [relation.getTarget(i) for i in range(relation.getNTargets())]
        found.append((kind, targets))
    return found


def _describe(acc: Any, path: str, depth: int, with_text: bool) -> dict[str, Any]:
    node: dict[str, Any] = {
        "path": path,
        "depth": depth,
        "id": _key(acc),
        "role": acc.getRoleName(),
        "name": acc.name or "",
        "description": acc.description or "",
        "states": _states(acc),
        "attributes": dict(
            acc.getAttributes() and (a.split(":", 1) for a in acc.getAttributes() if ":" in a)
        ),
        "interfaces": sorted(acc.get_interfaces()),
        "child_count": acc.childCount,
    }
    node["_relations"] = _relations(acc)
    if with_text and "Text" in node["interfaces"]:
        text = acc.queryText()
        node["text"] = text.getText(0, -1)
        node["caret"] = text.caretOffset
    if "Hypertext" in node["interfaces"]:
        node["links"] = acc.queryHypertext().getNLinks()
    return node


def walk(app: Any, with_text: bool = True) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    stack: list[tuple[Any, str, int]] = [(app, "0", 0)]
    while stack:
        acc, path, depth = stack.pop()
        nodes.append(_describe(acc, path, depth, with_text))
        children = [acc.getChildAtIndex(i) for i in range(acc.childCount)]
        for i, child in reversed(list(enumerate(children))):
            if child is not None:
                stack.append((child, f"{path}/{i}", depth + 1))
    by_id = {n["id"]: n["path"] for n in nodes}
    for node in nodes:
        node["relations"] = {
            kind: [by_id.get(_key(t), _key(t)) for t in targets if t is not None]
            for kind, targets in node.pop("_relations")
        }
    return nodes


def _wait_for_app(name: str, deadline: float) -> Any:
    while True:
        try:
            app = find_app(name)
        except Exception:  # noqa: BLE001 - the registry may still be starting: ask again
            app = None
        if app is not None:
            return app
        if time.monotonic() > deadline:
            raise SystemExit(f"no application named {name!r} on the accessibility bus")
        time.sleep(POLL_SECONDS)


def cmd_dump(args: argparse.Namespace) -> Any:
    app = _wait_for_app(args.app, time.monotonic() + args.timeout)
    return walk(app, with_text=not args.no_text)


def cmd_wait(args: argparse.Namespace) -> Any:
    deadline = time.monotonic() + args.timeout
    while True:
        app = _wait_for_app(args.app, deadline)
        try:
            nodes = walk(app, with_text=False)
        except Exception:  # noqa: BLE001 - objects come and go while the reader starts
            nodes = []
        for node in nodes:
            if node["role"] == args.role and (args.name is None or node["name"] == args.name):
                return node
        if time.monotonic() > deadline:
            raise SystemExit(f"no {args.role} named {args.name!r} appeared")
        time.sleep(POLL_SECONDS)


def cmd_events(args: argparse.Namespace) -> Any:
    pyatspi = _pyatspi()
    from gi.repository import GLib  # type: ignore[import-not-found,unused-ignore]

    app = _wait_for_app(args.app, time.monotonic() + args.timeout)
    seen: list[dict[str, Any]] = []
    wanted = set(args.until.split(",")) if args.until else set()

    def on_event(event: Any) -> None:
        source = event.source
        try:
            if source.getApplication().name != args.app:
                return
            record = {
                "type": str(event.type),
                "detail1": event.detail1,
                "detail2": event.detail2,
                "source_role": source.getRoleName(),
                "source_name": source.name or "",
                "any_data": _any_data(event.any_data),
            }
        except Exception as exc:  # noqa: BLE001 - a vanished source is an event, not a failure
            record = {"type": str(event.type), "error": str(exc)}
        seen.append(record)
        if any(record["type"].startswith(w) for w in wanted):
            GLib.timeout_add(args.settle_ms, pyatspi.Registry.stop)

    types = args.types.split(",")
    pyatspi.Registry.registerEventListener(on_event, *types)
    # A round trip to the application after registering: it has then handled the registry's
    # "listener registered" signal (delivered before our call), so it will send these events.
    app.get_localized_role_name()

    def run_command() -> bool:
        subprocess.run(args.command, check=True, timeout=30)
        return False

    GLib.idle_add(run_command)
    GLib.timeout_add(int(args.timeout * 1000), pyatspi.Registry.stop)
    pyatspi.Registry.start()
    return seen


def _any_data(value: Any) -> Any:
    if isinstance(value, (str, int, float)) or value is None:
        return value
    try:
        return {"role": value.getRoleName(), "name": value.name or ""}
    except Exception:  # noqa: BLE001 - any_data is whatever the event carries
        return str(value)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--timeout", type=float, default=20.0)
    sub = parser.add_subparsers(dest="command_name", required=True)
    dump = sub.add_parser("dump")
    dump.add_argument("app")
    dump.add_argument("--no-text", action="store_true")
    wait = sub.add_parser("wait")
    wait.add_argument("app")
    wait.add_argument("role")
    wait.add_argument("name", nargs="?")
    events = sub.add_parser("events")
    events.add_argument("app")
    events.add_argument("types")
    events.add_argument("--until", default="")
    events.add_argument("--settle-ms", type=int, default=300)
    command: list[str] = []
    if "--" in argv:  # events: the command to run once listening
        command = argv[argv.index("--") + 1 :]
        argv = argv[: argv.index("--")]
    args = parser.parse_args(argv)
    args.command = command
    handler = {"dump": cmd_dump, "wait": cmd_wait, "events": cmd_events}[args.command_name]
    json.dump(handler(args), sys.stdout, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
