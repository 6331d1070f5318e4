"""Search room tests."""
