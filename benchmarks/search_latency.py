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

SYLLABLES = (
    "ka",
    "ne",
    "ri",
    "to",
    "mel",
    "sa",
    "dor",
    "vi",
    "lun",
    "pe",
    "tra",
    "cos",
    "in",
    "ab",
    "ul",
    "ex",
    "hy",
    "po",
    "ren",
    "gas",
    "tri",
    "ol",
    "am",
    "id",
    "ur",
    "en",
)


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    """The guide's own words, most frequent first, then invented clinical-sounding words.

    Word frequencies in real text follow Zipf's law: a few words are in every section,
    most are rare. Drawing from this list with Zipf weights gives synthetic sections whose
    posting lists look like a real pack's, unlike a uniform draw from a few words.
    """
    guide = open_library(default_pack_dir()).rendered
    counts: dict[str, int] = {}
    for section in guide.sections:
        for word in (section.title + " " + section.text).lower().split():
            word = word.strip(".,:;?!()“”\"'-’")
            if word.isalpha():
                counts[word] = counts.get(word, 0) + 1
    words = sorted(counts, key=lambda w: -counts[w])
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def synthetic_pack(root: Path, sections: int) -> Path:
    """About 5 KB of Zipf-distributed text per section, 100 sections per document."""
    rng = random.Random(7)
    words = vocabulary(rng)
    weights = [1 / (rank + 2.7) for rank in range(len(words))]  # Zipf–Mandelbrot, s = 1
    root.mkdir(parents=True, exist_ok=True)
    names = []
    for doc in range(max(1, sections // 100)):
        lines = [f"# Volume {doc}\n"]
        for s in range(min(100, sections)):
            title = " ".join(rng.choices(words[20:400], k=3)).capitalize()
            lines.append(f"## {title} {doc}-{s}\n")
            for _ in range(6):
                lines.append(" ".join(rng.choices(words, weights, k=120)).capitalize() + ".\n")
        name = f"vol{doc:04d}.md"
        (root / name).write_text("\n".join(lines), "utf-8")
        names.append(f'"{name}"')
    (root / "pack.toml").write_text(f'title = "Synthetic"\ndocuments = [{", ".join(names)}]\n')
    return root


def realistic_queries(count: int = 300) -> list[str]:
    """Common and rare words, prefixes, two-word queries, phrases and misspellings."""
    rng = random.Random(11)
    words = vocabulary(random.Random(7))
    common, middle, rare = words[:60], words[60:600], words[600:]
    queries: list[str] = []
    makers = (
        lambda: rng.choice(common),
        lambda: rng.choice(middle),
        lambda: rng.choice(rare),
        lambda: rng.choice(middle)[: rng.randint(3, 5)],  # typing: a prefix
        lambda: f"{rng.choice(common)} {rng.choice(middle)}",
        lambda: f'"{rng.choice(common)} {rng.choice(common)}"',
        lambda: _misspell(rng, rng.choice(middle)),
        lambda: rng.choice(["anaesthesia", "paediatric", "haemorrhage", "oesophagus"]),
    )
    while len(queries) < count:
        queries.append(rng.choice(makers)())
    return queries


def _misspell(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word + "x"
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swap two letters


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
    warm = time.perf_counter() - start  # what `ketreader search` needs
    _ = warm_library.rendered
    warm_window = time.perf_counter() - start  # plus every section's HTML, for the window
    start = time.perf_counter()
    index.search("ketamine")  # the first query also loads the vocabulary: reported apart
    first = time.perf_counter() - start
    timings = []
    queries = realistic_queries()
    for _ in range(repeats):
        for query in queries:
            t = time.perf_counter()
            index.search(query)
            timings.append((time.perf_counter() - t) * 1000)
    p50, p95 = _percentiles(timings)
    return {
        "pack": name,
        "sections": len(library.sections),
        "megabytes": round(sum(len(d.html) for d in library.rendered.documents) / 1e6, 1),
        "open_cold_s": round(cold, 3),
        "first_query_ms": round(first * 1000, 2),
        "open_warm_s": round(warm, 3),
        "open_warm_window_s": round(warm_window, 3),
        "query_p50_ms": round(p50, 3),
        "query_p95_ms": round(p95, 3),
        "queries": len(timings),
    }


def whole_process_ratio(large: Path, runs: int) -> dict[str, float]:
    """Medians of interleaved `ketreader search` processes: a cached large pack vs the guide."""
    import subprocess

    def timed(extra: list[str]) -> float:
        command = [sys.executable, "-m", "ketreader", "search", "bladder", "--json", *extra]
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        return time.perf_counter() - start

    timed([]), timed(["--content", str(large)])  # warm both caches
    guide, big = [], []
    for _ in range(runs):
        guide.append(timed([]))
        big.append(timed(["--content", str(large)]))
    g, b = statistics.median(guide), statistics.median(big)
    return {"guide_s": round(g, 4), "large_s": round(b, 4), "ratio": round(b / g, 3)}


def keystroke_latency(repeats: int) -> dict[str, float]:
    """From a key press in the search field to the results list showing the new results."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ketreader.settings import Settings
    from ketreader.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(
        open_library(default_pack_dir()), Settings(Path(tempfile.mkdtemp()) / "s.ini")
    )
    window.show()
    shown: list[float] = []
    original = window.results.show_result

    def record(result: object) -> None:
        original(result)  # type: ignore[arg-type]
        shown.append(time.perf_counter())

    window.results.show_result = record  # type: ignore[method-assign]
    samples = []
    for _ in range(repeats):
        for word in ("bladder", "anaesthesia", "ketamine risk", "emergency"):
            window.search_bar.clear()
            app.processEvents()
            for char in word:
                shown.clear()
                start = time.perf_counter()
                QTest.keyClick(window.search_bar, char)
                deadline = start + 1.0
                while not shown and time.perf_counter() < deadline:
                    app.processEvents()
                if shown:
                    samples.append((shown[0] - start) * 1000)
    window.close()
    del Qt
    p50, p95 = _percentiles(samples)
    return {"p50_ms": round(p50, 3), "p95_ms": round(p95, 3), "keystrokes": len(samples)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--repeats", type=int, default=25)
    parser.add_argument("--process-runs", type=int, default=11)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rows = [measure("guide", default_pack_dir(), args.repeats)]
        for size in args.sizes:
            root = synthetic_pack(Path(folder) / f"pack{size}", size)
            rows.append(measure(f"synthetic-{size}", root, args.repeats))
        large = synthetic_pack(Path(folder) / "pack-10mb", 2000)
        process = whole_process_ratio(large, args.process_runs)
    typing = keystroke_latency(max(1, args.repeats // 5))
    if args.json:
        print(json.dumps({"packs": rows, "whole_process": process, "keystroke": typing}, indent=2))
        return 0
    header = (
        "pack",
        "sections",
        "MB",
        "cold s",
        "warm s",
        "warm+html",
        "1st q ms",
        "p50 ms",
        "p95 ms",
    )
    print(f"{header[0]:16}" + "".join(f"{h:>10}" for h in header[1:]))
    keys = (
        "sections",
        "megabytes",
        "open_cold_s",
        "open_warm_s",
        "open_warm_window_s",
        "first_query_ms",
        "query_p50_ms",
        "query_p95_ms",
    )
    for r in rows:
        print(f"{r['pack']!s:16}" + "".join(f"{r[k]!s:>10}" for k in keys))
    print(
        f"whole-process search: guide {process['guide_s'] * 1000:.1f} ms, ~10 MB pack (cached) "
        f"{process['large_s'] * 1000:.1f} ms, ratio {process['ratio']}"
    )
    print(
        f"keystroke to results (guide): p50 {typing['p50_ms']} ms, p95 {typing['p95_ms']} ms "
        f"over {typing['keystrokes']} keystrokes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
