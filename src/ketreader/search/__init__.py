"""Search room: the SQLite FTS5 index over a rendered pack, with no Qt."""
