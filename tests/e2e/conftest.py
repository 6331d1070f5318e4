"""End-to-end room fixtures (shared with the kiosk tests in tests/security)."""

from tests.e2e.fixtures import (
    opener,
    print_server,
    reader_home,
    shared_cache,
    start_reader,
    x_session,
)

__all__ = ["opener", "print_server", "reader_home", "shared_cache", "start_reader", "x_session"]
