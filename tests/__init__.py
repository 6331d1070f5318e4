"""Test room: the pytest suite."""
