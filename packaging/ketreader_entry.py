"""Packaging room: the frozen executables' entry point."""

import sys

if __name__ == "__main__":
    # A render worker (render_pool.py) is this executable again: it renders and exits,
    # before anything of the reader is imported.
    if sys.argv[1:2] == ["--render-worker"]:
        from ketreader.render_worker import serve

        sys.exit(serve())
    from ketreader.__main__ import main

    sys.exit(main())
