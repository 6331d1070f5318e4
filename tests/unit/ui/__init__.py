"""UI room tests."""
