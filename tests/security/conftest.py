"""Security room fixtures: the real-X harness of tests/e2e, for the kiosk tests."""

from tests.e2e.fixtures import (
    opener,
    print_server,
    reader_home,
    shared_cache,
    start_reader,
    x_session,
)

__all__ = ["opener", "print_server", "reader_home", "shared_cache", "start_reader", "x_session"]
