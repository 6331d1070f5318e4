"""Mutation score of the plain-Python rooms: runs mutmut, then prints killed/total per room.

Usage: uv run python scripts/mutation.py [--max-children N] [--sample N] [MUTANT_GLOB ...]
(e.g. ``'ketreader.policy*'``). ``--sample N`` runs N mutants drawn at random (seeded) from
all of them, or from those the globs match, for a score with a known margin in a fraction of
the time. Not a CI gate: a full run takes hours. The score is recorded in docs/testing.md.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import subprocess
import sys
from collections import Counter, defaultdict
from fnmatch import fnmatch
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
    parser.add_argument("--sample", type=int, help="run this many mutants, drawn at random")
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("mutants", nargs="*", help="mutant name globs (default: all)")
    args = parser.parse_args()
    run = [sys.executable, "-m", "mutmut", "run", "--max-children", str(args.max_children)]
    names = list(args.mutants)
    chosen: set[str] | None = None
    if args.sample:
        # A glob that matches nothing makes mutmut generate the mutants and stop.
        subprocess.run([*run, "no-such-mutant-*"], cwd=ROOT, check=False)
        every = sorted(
            name for name in statuses() if not names or any(fnmatch(name, g) for g in names)
        )
        chosen = set(random.Random(args.seed).sample(every, min(args.sample, len(every))))
        names = sorted(chosen)
    subprocess.run([*run, *names], cwd=ROOT, check=False)
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    for name, status in statuses().items():
        if chosen is None or name in chosen:
            tally[room_of(name)][status] += 1
    rows: list[tuple[str, int, int, dict[str, float]]] = []
    for room, counts in sorted(tally.items()):
        tested = sum(counts.values()) - sum(counts[s] for s in UNTESTED)
        caught = sum(counts[s] for s in CAUGHT)
        rows.append((room, caught, tested, dict(counts)))
    caught_all = sum(r[1] for r in rows)
    tested_all = sum(r[2] for r in rows)
    if tested_all:
        share = caught_all / tested_all
        margin = 1.96 * math.sqrt(share * (1 - share) / tested_all)  # 95%, normal approx.
        rows.append(("all", caught_all, tested_all, {"margin_95": round(margin, 3)}))
    if args.json:
        print(json.dumps([{"room": r, "caught": c, "tested": t, **n} for r, c, t, n in rows]))
    else:
        for room, caught, tested, found in rows:
            share = caught / tested if tested else 0.0
            print(f"{room:<16} {caught:>5} / {tested:<5} {share:6.1%}  {found}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
