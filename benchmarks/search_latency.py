"""Benchmark room: index build, pack open and query latency, guide and synthetic packs."""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from ketreader.pipeline import open_library
from ketreader.resources import default_pack_dir

WORDS = [
    "ketamine",
    "anesthesia",
    "sedation",
    "bladder",
    "dependence",
    "receptor",
    "glutamate",
    "clinician",
    "dose",
    "monitoring",
    "emergency",
    "pediatric",
    "regulation",
    "prescription",
    "research",
    "depression",
    "trial",
    "safety",
    "protocol",
    "consent",
    "analgesic",
    "opioid",
    "trauma",
    "infusion",
    "hospital",
]
QUERIES = [
    "ketamine",
    "bladder",
    "blad",
    "anaesthesia",
    "risk",
    "dose monitoring",
    '"blood pressure"',
    "bladdr",
    "recptor",
    "emergency sedation",
    "paediatric",
    "xyzzy",
]


def synthetic_pack(root: Path, sections: int) -> Path:
    """About 5 KB per section, 100 sections per document."""
    rng = random.Random(7)
    root.mkdir(parents=True, exist_ok=True)
    names = []
    for doc in range(max(1, sections // 100)):
        lines = [f"# Volume {doc}\n"]
        for s in range(min(100, sections)):
            lines.append(f"## {rng.choice(WORDS).title()} topic {doc}-{s}\n")
            for _ in range(6):
                lines.append(" ".join(rng.choice(WORDS) for _ in range(120)) + ".\n")
        name = f"vol{doc:04d}.md"
        (root / name).write_text("\n".join(lines), "utf-8")
        names.append(f'"{name}"')
    (root / "pack.toml").write_text(f'title = "Synthetic"\ndocuments = [{", ".join(names)}]\n')
    return root


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def measure(name: str, root: Path, repeats: int) -> dict[str, object]:
    start = time.perf_counter()
    library = open_library(root)
    index = library.index
    cold = time.perf_counter() - start
    start = time.perf_counter()
    warm_library = open_library(root)
    _ = warm_library.index
    warm = time.perf_counter() - start
    timings = []
    for _ in range(repeats):
        for query in QUERIES:
            t = time.perf_counter()
            index.search(query)
            timings.append((time.perf_counter() - t) * 1000)
    p50, p95 = _percentiles(timings)
    return {
        "pack": name,
        "sections": len(library.pack.sections),
        "open_cold_s": round(cold, 3),
        "open_warm_s": round(warm, 3),
        "query_p50_ms": round(p50, 3),
        "query_p95_ms": round(p95, 3),
        "queries": len(timings),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000])
    parser.add_argument("--repeats", type=int, default=25)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rows = [measure("guide", default_pack_dir(), args.repeats)]
        for size in args.sizes:
            root = synthetic_pack(Path(folder) / f"pack{size}", size)
            rows.append(measure(f"synthetic-{size}", root, args.repeats))
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{'pack':16}{'sections':>9}{'cold s':>9}{'warm s':>9}{'p50 ms':>9}{'p95 ms':>9}")
    for r in rows:
        print(
            f"{r['pack']:16}{r['sections']:>9}{r['open_cold_s']:>9}{r['open_warm_s']:>9}"
            f"{r['query_p50_ms']:>9}{r['query_p95_ms']:>9}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
