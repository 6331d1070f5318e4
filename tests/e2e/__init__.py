"""End-to-end room: tests that drive the reader in a real X window."""
