"""Mutation score of the plain-Python rooms: runs mutmut, then prints killed/total per room.

Usage: uv run python scripts/mutation.py [--max-children N] [MODULE_GLOB ...]
(e.g. ``'ketreader.policy*'``). Not a CI gate: a full run takes a while. The score is
recorded in docs/testing.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Statuses mutmut reports; "killed" and "timeout" count as caught, as mutmut itself counts.
CAUGHT = {"killed", "timeout"}
UNTESTED = {"no tests"}


def room_of(mutant: str) -> str:
    """The room a mutant belongs to: ``ketreader.search.plan.x__mutmut_3`` -> ``search``."""
    parts = mutant.split(".")
    return parts[1] if len(parts) > 2 else mutant


def statuses() -> dict[str, str]:
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, str] = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and "__mutmut_" in name:
            result[name] = status.strip()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print the tally as JSON")
    parser.add_argument("mutants", nargs="*", help="mutant name globs (default: all)")
    args = parser.parse_args()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mutmut",
            "run",
            "--max-children",
            str(args.max_children),
            *args.mutants,
        ],
        cwd=ROOT,
        check=False,
    )
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    for name, status in statuses().items():
        tally[room_of(name)][status] += 1
    rows: list[tuple[str, int, int, dict[str, int]]] = []
    for room, counts in sorted(tally.items()):
        tested = sum(counts.values()) - sum(counts[s] for s in UNTESTED)
        caught = sum(counts[s] for s in CAUGHT)
        rows.append((room, caught, tested, dict(counts)))
    if args.json:
        print(json.dumps([{"room": r, "caught": c, "tested": t, **n} for r, c, t, n in rows]))
    else:
        for room, caught, tested, found in rows:
            share = caught / tested if tested else 0.0
            print(f"{room:<16} {caught:>5} / {tested:<5} {share:6.1%}  {found}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
