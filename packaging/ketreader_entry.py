"""Packaging room: the frozen executables' entry point."""

import sys

from ketreader.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
