"""Search quality: precision at 1, success at 3 and MRR over judged questions and keywords."""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ketreader.pipeline import open_library
from ketreader.resources import default_pack_dir

JUDGMENTS = Path(__file__).resolve().parents[1] / "tests" / "data" / "search_judgments.toml"
KINDS = ("question", "keyword")
DEPTH = 10  # results read per query; MRR counts the first acceptable id within them
TOP = 3  # "success at 3": an acceptable id among the first 3 results
# A question is answered when an acceptable id is in the top 3; the keyword judgments record
# what the search already does, so a keyword holds only while its first result is acceptable.
PASS_RANK = {"question": TOP, "keyword": 1}

# A search is a function from a typed query to section ids, best first.
Search = Callable[[str], list[str]]


@dataclass(frozen=True)
class Judgment:
    """One typed query and the section ids acceptable for it, the best first."""

    kind: str
    query: str
    expect: tuple[str, ...]
    why: str = ""


@dataclass(frozen=True)
class Outcome:
    """What the search returned for one judgment, and the rank of the first acceptable id."""

    judgment: Judgment
    returned: tuple[str, ...]

    @property
    def rank(self) -> int | None:
        """1-based rank of the first acceptable id within the first DEPTH results."""
        for position, section in enumerate(self.returned[:DEPTH], start=1):
            if section in self.judgment.expect:
                return position
        return None

    @property
    def at_1(self) -> bool:
        return self.rank == 1

    @property
    def in_top(self) -> bool:
        return self.rank is not None and self.rank <= TOP

    @property
    def passed(self) -> bool:
        return self.rank is not None and self.rank <= PASS_RANK[self.judgment.kind]


def load_judgments(path: Path) -> list[Judgment]:
    """Every [[question]] and [[keyword]] table of a judgments file, in file order."""
    data = tomllib.loads(path.read_text("utf-8"))
    return [
        Judgment(kind, str(row["query"]), tuple(row["expect"]), str(row.get("why", "")))
        for kind in KINDS
        for row in data.get(kind, [])
    ]


def reader_search(pack_dir: Path) -> Search:
    """The reader's search over a pack, reduced to ranked section ids.

    The only place that knows the search API: adapt it here when that API changes.
    """
    index = open_library(pack_dir).index

    def search(query: str) -> list[str]:
        return [hit.id for hit in index.search(query, limit=DEPTH).hits]

    return search


def evaluate(judgments: Sequence[Judgment], search: Search) -> list[Outcome]:
    """Run every judged query through ``search``."""
    return [Outcome(j, tuple(search(j.query))) for j in judgments]


def summary(outcomes: Sequence[Outcome]) -> dict[str, float | int]:
    """Precision at 1, success at 3, mean reciprocal rank (0 when no acceptable id in the
    first DEPTH results) and how many queries returned nothing at all."""
    count = len(outcomes)
    if count == 0:
        return {"count": 0, "precision_at_1": 0.0, "success_at_3": 0.0, "mrr": 0.0, "empty": 0}
    reciprocal = [1 / o.rank if o.rank else 0.0 for o in outcomes]
    return {
        "count": count,
        "precision_at_1": round(sum(o.at_1 for o in outcomes) / count, 3),
        "success_at_3": round(sum(o.in_top for o in outcomes) / count, 3),
        "mrr": round(sum(reciprocal) / count, 3),
        "empty": sum(not o.returned for o in outcomes),
    }


def report(outcomes: Sequence[Outcome]) -> dict[str, object]:
    """Figures per kind, with every judgment that did not pass and what came back for it."""
    by_kind = {kind: [o for o in outcomes if o.judgment.kind == kind] for kind in KINDS}
    return {
        kind: {
            **summary(rows),
            "failures": [
                {
                    "query": o.judgment.query,
                    "expect": list(o.judgment.expect),
                    "rank": o.rank,
                    "returned": list(o.returned),
                }
                for o in rows
                if not o.passed
            ],
        }
        for kind, rows in by_kind.items()
    }


def print_report(result: dict[str, object]) -> None:
    for kind in KINDS:
        part = result[kind]
        assert isinstance(part, dict)
        print(
            f"{kind}s: {part['count']}  precision@1 {part['precision_at_1']:.3f}"
            f"  success@3 {part['success_at_3']:.3f}  MRR {part['mrr']:.3f}"
            f"  no results {part['empty']}"
        )
    for kind in KINDS:
        part = result[kind]
        assert isinstance(part, dict)
        failures = part["failures"]
        if not failures:
            continue
        where = "first" if PASS_RANK[kind] == 1 else f"in the top {PASS_RANK[kind]}"
        print(f"\n{kind}s without an acceptable section {where} ({len(failures)}):")
        for failure in failures:
            rank = f"rank {failure['rank']}" if failure["rank"] else f"not in top {DEPTH}"
            got = ", ".join(failure["returned"][:TOP]) or "nothing"
            print(f"  {failure['query']!r} ({rank})")
            print(f"      expected {' | '.join(failure['expect'])}")
            print(f"      got      {got}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--pack", type=Path, default=None, help="pack folder (default: the bundled guide)"
    )
    parser.add_argument("--judgments", type=Path, default=JUDGMENTS, help="judgments TOML")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    search = reader_search(args.pack or default_pack_dir())
    result = report(evaluate(load_judgments(args.judgments), search))
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print_report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
