"""Search room: `ketreader check` of a pack's synonyms.toml, as PATH:LINE diagnostics."""

from __future__ import annotations

from pathlib import Path

from ketreader.content.diagnostics import Diagnostic
from ketreader.render.model import RenderedPack
from ketreader.search.synonyms import FILE_NAME, parse_synonyms, read_synonyms


def check_synonyms(root: Path, rendered: RenderedPack) -> list[Diagnostic]:
    """Every problem of the pack's synonyms file; nothing when it has none.

    Beyond the file's own form, each value is searched in the pack as the reader would: a
    value that matches nothing can never lead a reader anywhere, so it is reported.
    """
    text, problems = read_synonyms(root)
    if text is None:
        return problems
    shown = str(root / FILE_NAME)
    table, found = parse_synonyms(text, shown)
    problems.extend(found)
    if not table.entries:
        return problems
    from ketreader.search.index import SearchIndex
    from ketreader.search.query import quote

    index = SearchIndex.build(rendered)
    try:
        for key, values in table.entries.items():
            for value in values:
                if not index.rank(quote(value), 1):
                    problems.append(
                        Diagnostic(
                            shown,
                            f"{value!r} (for {key!r}) is not in the pack, so it never matches",
                            "warning",
                            table.lines.get(key),
                        )
                    )
    finally:
        index.close()
    return sorted(problems, key=lambda d: d.line or 0)
