"""Search room test fixtures: any SQL error the index logs fails the test that caused it."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def no_logged_search_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """The index turns SQL errors into "no results" for the user; a test must still see them."""
    caplog.set_level(logging.ERROR, logger="ketreader.search")
    yield
    failures = [
        r.getMessage()
        for r in caplog.get_records("call")
        if r.name == "ketreader.search" and r.levelno >= logging.ERROR
    ]
    assert failures == [], failures
