"""Wiring room: one render worker: Markdown in on stdin, drafts out on stdout; no Qt."""

from __future__ import annotations

import sys


def serve() -> int:
    """Render every task the parent sends until it closes the pipe."""
    from ketreader.render.draft import render_draft
    from ketreader.render_pool import read_frame, write_frame

    tasks, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing printed by accident may corrupt the answers
    while True:
        task = read_frame(tasks)
        if not isinstance(task, tuple):
            return 0
        index, path, text = task
        write_frame(answers, (index, render_draft(path, text)))


if __name__ == "__main__":
    raise SystemExit(serve())
