"""Packaging room: the frozen executables' entry point."""

import sys

from ketreader.__main__ import main


def _started_by_multiprocessing(argv: list[str]) -> bool:
    """Whether this copy of the executable is a worker or helper of multiprocessing.

    The pool that renders packs (prepare.py) starts workers as copies of this executable,
    with "--multiprocessing-fork" on their command line, and its resource tracker with
    "-c"; the reader itself takes neither. Checked first so that a reader's start-up does
    not import multiprocessing (about 15 ms).
    """
    return any(a.startswith("--multiprocessing") for a in argv) or "-c" in argv


if __name__ == "__main__":
    if _started_by_multiprocessing(sys.argv[1:]):
        import multiprocessing

        # WORKAROUND for https://pyinstaller.org/en/stable/common-issues-and-pitfalls.html#multi-processing
        multiprocessing.freeze_support()
    sys.exit(main())
