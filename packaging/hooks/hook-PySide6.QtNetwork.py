"""Packaging room: the reader never touches the network; refuse to bundle QtNetwork."""

raise SystemExit("ketreader must not bundle PySide6.QtNetwork: something imported it")
