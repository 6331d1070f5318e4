"""Package room: the ketreader package root, holding only the version."""

__version__ = "0.1.0"
