"""Offline tests across every room: no network code, no connection attempts."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import GUIDE, REPO, run_python

FORBIDDEN_IMPORTS = (
    "socket",
    "ssl",
    "http",
    "urllib.request",
    "ftplib",
    "smtplib",
    "PySide6.QtNetwork",
    "xmlrpc",
    "asyncio",
)

GUARD = r"""
import socket, sys
attempts = []
_real_socket = socket.socket
class _Guarded(_real_socket):
    def __init__(self, family=-1, *args, **kwargs):
        if family in (socket.AF_INET, socket.AF_INET6, -1):
            attempts.append(family)
            raise OSError("network disabled by the offline test")
        super().__init__(family, *args, **kwargs)
socket.socket = _Guarded
_real_create = socket.create_connection
def _no_connect(*args, **kwargs):
    attempts.append("create_connection")
    raise OSError("network disabled by the offline test")
socket.create_connection = _no_connect
from ketreader.cli import main
import contextlib, io
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
loaded = [m for m in ("PySide6.QtNetwork", "urllib.request", "http.client", "ssl")
          if m in sys.modules]
print("RESULT", code, attempts, loaded)
"""


def test_source_imports_no_network_modules() -> None:
    offenders = []
    for path in (REPO / "src" / "ketreader").rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            offenders += [
                f"{path.name}: {name}"
                for name in names
                if any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IMPORTS)
            ]
    assert offenders == []


@pytest.mark.parametrize(
    "args",
    [
        ["--quit-after-paint"],
        ["--quit-after-paint", "--section", "key-takeaways"],
        ["sections", "--json"],
        ["search", "bladder", "--json"],
        ["export", "--format", "html"],
        ["check", str(GUIDE)],
        ["policy", "--show", "--json"],
    ],
)
def test_nothing_tries_the_network(args: list[str]) -> None:
    result = run_python("-c", GUARD, *args)
    assert "RESULT 0 [] []" in result.stdout, result.stdout + result.stderr
