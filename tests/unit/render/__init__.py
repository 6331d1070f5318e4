"""Render room tests."""
