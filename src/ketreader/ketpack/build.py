"""Storage room: `ketreader pack build`, a folder pack compiled into one .ketpack file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from ketreader.content.diagnostics import Diagnostic, PackError
from ketreader.content.pack import load_pack


class Built(NamedTuple):
    """What a build wrote, for its one-line report."""

    path: Path
    documents: int
    sections: int
    images: int
    fingerprint: str
    problems: tuple[Diagnostic, ...]  # broken links and images, as `check` reports them


def inside(target: Path, root: Path) -> bool:
    try:
        real_target, real_root = target.resolve(), root.resolve()
    except (OSError, RuntimeError):
        return False
    return real_target == real_root or real_root in real_target.parents


def build_pack(
    root: Path, target: Path, on_progress: Callable[[int, int], None] = lambda _d, _t: None
) -> Built:
    """Render the folder pack ``root`` (in the worker pool) and write it to ``target``.

    Raises PackError for a pack that cannot be rendered or a target inside it, OSError or
    sqlite3.Error when ``target`` cannot be written (the old file, if any, stays whole).
    """
    from ketreader.ketpack.contents import gather
    from ketreader.ketpack.write import write_ketpack
    from ketreader.prepare import render_drafts
    from ketreader.render.pack_render import assemble

    if inside(target, root):
        raise PackError([Diagnostic(str(target), f"refusing to write inside the pack {root}")])
    pack = load_pack(root)
    rendered = assemble(pack, render_drafts(pack.documents, on_progress))
    contents = gather(pack, rendered)
    write_ketpack(target, rendered, contents)
    return Built(
        target,
        len(rendered.documents),
        len(rendered.sections),
        len(contents.images),
        contents.fingerprint,
        rendered.diagnostics,
    )
