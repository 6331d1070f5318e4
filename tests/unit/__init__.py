"""Unit test room, mirroring the ketreader package."""
