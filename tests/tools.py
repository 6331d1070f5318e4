"""Test room: a test that needs an external tool skips without it, and fails instead in CI."""

from __future__ import annotations

import os

import pytest


def require(missing: str, install: str) -> None:
    """Skip, saying why, when ``missing`` names what is not here; fail under CI's tool rule.

    CI (.ci/run) installs every tool and sets KETREADER_REQUIRE_TOOLS=1, so a skip there
    would hide a test that never ran.
    """
    if not missing:
        return
    message = f"{missing} (apt-get install {install})"
    if os.environ.get("KETREADER_REQUIRE_TOOLS") == "1":
        pytest.fail(f"KETREADER_REQUIRE_TOOLS=1 but {message}")
    pytest.skip(message)
