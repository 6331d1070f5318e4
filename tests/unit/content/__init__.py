"""Content room tests."""
