"""Benchmark room: index build, pack open, query, question, keystroke and F3 latency.

On the guide and on synthetic packs of 1,000 and 10,000 sections: Zipf text, and a shared
vocabulary where every query word is in half the sections.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ketreader.pipeline import open_library
from ketreader.resources import default_pack_dir
from ketreader.search.index import SearchIndex

SHARED_WORDS = 1000
JUDGMENTS = Path(__file__).resolve().parents[1] / "tests" / "data" / "search_judgments.toml"
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
        for word in (section.title + " " + guide.section_text(section)).lower().split():
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


def synthetic_pack(root: Path, sections: int, shared: bool = False) -> Path:
    """About 5 KB of text per section, 100 sections per document, in English, with the
    guide's synonyms.

    Zipf (the default): words drawn with Zipf weights from the guide's words and invented
    ones, as real text is. Shared vocabulary: every section draws uniformly from the same
    1,000 words, so a word of a query is in about half of all sections, the worst case for
    ranking: bm25 must score every section a word is in.
    """
    if (root / "pack.toml").is_file():
        return root  # made by an earlier run with --folder: the same text, the same fingerprint
    rng = random.Random(7)
    words = vocabulary(rng)
    if shared:
        words = words[:SHARED_WORDS]
        weights = [1.0] * len(words)
    else:
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
    (root / "pack.toml").write_text(
        f'title = "Synthetic"\nlanguage = "en"\ndocuments = [{", ".join(names)}]\n'
    )
    shutil.copyfile(default_pack_dir() / "synonyms.toml", root / "synonyms.toml")
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


def question_queries() -> list[str]:
    """The judged questions: how trainees and patients type (tests/data/search_judgments.toml)."""
    import tomllib

    data = tomllib.loads(JUDGMENTS.read_text("utf-8"))
    return [str(row["query"]) for row in data["question"]]


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def _query_latency(index: SearchIndex, queries: list[str], repeats: int) -> dict[str, float]:
    """p50 and p95 over the queries of each query's median of ``repeats`` runs, in ms.

    The median per query keeps stray pauses out of the tail; the runs are interleaved (every
    query once, then again), so no query is timed only warm. Wall time is what the reader
    waits; CPU time (of this thread, which runs SQLite too) is what the search costs, and what
    the wall time comes to on a machine with nothing else to do.
    """
    wall: dict[str, list[float]] = {q: [] for q in queries}
    cpu: dict[str, list[float]] = {q: [] for q in queries}
    for _ in range(repeats):
        for query in queries:
            started, used = time.perf_counter(), time.thread_time()
            index.search(query)
            cpu[query].append((time.thread_time() - used) * 1000)
            wall[query].append((time.perf_counter() - started) * 1000)
    w50, w95 = _percentiles([statistics.median(r) for r in wall.values()])
    c50, c95 = _percentiles([statistics.median(r) for r in cpu.values()])
    return {
        "p50": round(w50, 2),
        "p95": round(w95, 2),
        "cpu_p50": round(c50, 2),
        "cpu_p95": round(c95, 2),
    }


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
    start = time.perf_counter()
    index.search("ketamnie")  # the first misspelling builds the one-slip index
    first_fix = time.perf_counter() - start
    keywords = _query_latency(index, realistic_queries(), repeats)
    questions = _query_latency(index, question_queries(), repeats)
    return {
        "pack": name,
        "sections": len(library.sections),
        "megabytes": round(sum(len(d.html) for d in library.rendered.documents) / 1e6, 1),
        "open_cold_s": round(cold, 3),
        "open_warm_s": round(warm, 3),
        "open_warm_window_s": round(warm_window, 3),
        "first_query_ms": round(first * 1000, 2),
        "first_correction_ms": round(first_fix * 1000, 2),
        "query_ms": keywords,
        "question_ms": questions,
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


TYPED = ("bladder", "anaesthesia", "ketamine risk", "emergency", "what are the side effects",
         "is it addictive", "can ketamine treat depression")  # fmt: skip


def _window(pack: Path) -> Any:
    """The reader's window on ``pack``, shown offscreen, as the application builds it."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ketreader.library_loader import load_library
    from ketreader.policy import resolve
    from ketreader.preferences import Preferences
    from ketreader.ui.main_window import MainWindow

    _ = QApplication.instance() or QApplication([])
    window = MainWindow(load_library(pack, fallback=False).library, Preferences(resolve()))
    window.resize(1100, 750)
    window.show()
    return window


def keystroke_latency(pack: Path, repeats: int) -> dict[str, float]:
    """From a key press in the search field to the results list showing the new results."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    window = _window(pack)
    app = QApplication.instance()
    assert app is not None
    results = window.search.results
    shown: list[float] = []
    original = results.show_result

    def record(result: object) -> None:
        original(result)
        shown.append(time.perf_counter())

    results.show_result = record
    window.search.library.index.search("ketamine")  # the vocabulary, loaded once per pack
    samples, cpu = [], []
    for _ in range(repeats):
        for text in TYPED:
            window.search.bar.clear()
            app.processEvents()
            for char in text:
                shown.clear()
                start, used = time.perf_counter(), time.thread_time()
                QTest.keyClicks(window.search.bar, char)
                deadline = start + 2.0
                while not shown and time.perf_counter() < deadline:
                    app.processEvents()
                if shown:
                    samples.append((shown[0] - start) * 1000)
                    cpu.append((time.thread_time() - used) * 1000)
    window.close()
    p50, p95 = _percentiles(samples)
    c50, c95 = _percentiles(cpu)
    return {
        "p50_ms": round(p50, 2),
        "p95_ms": round(p95, 2),
        "cpu_p50_ms": round(c50, 2),
        "cpu_p95_ms": round(c95, 2),
        "keystrokes": len(samples),
    }


def f3_latency(folder: Path, presses: int = 60) -> dict[str, float]:
    """F3 in a document with 47,000 matches: the time of each press, in ms."""
    paragraphs = "\n\n".join(
        f"Paragraph {i}: " + " ".join(["dose and more text"] * 47) for i in range(1000)
    )
    pack = folder / "crowded"
    pack.mkdir(parents=True, exist_ok=True)
    (pack / "a.md").write_text(f"# Crowded\n\n{paragraphs}\n", "utf-8")
    (pack / "pack.toml").write_text('title = "Crowded"\ndocuments = ["a.md"]\n', "utf-8")
    window = _window(pack)
    highlights = window.view.highlights
    started = time.perf_counter()
    matches = highlights.show(("dose",))
    shown = time.perf_counter() - started
    samples, cpu = [], []
    for press in range(presses):
        step = 40 if press % 10 == 9 else 1  # now and then a long jump, as Shift+F3 runs do
        started, used = time.perf_counter(), time.thread_time()
        highlights.step(step)
        cpu.append((time.thread_time() - used) * 1000)
        samples.append((time.perf_counter() - started) * 1000)
    window.close()
    p50, p95 = _percentiles(samples)
    c50, c95 = _percentiles(cpu)
    return {
        "matches": matches,
        "show_ms": round(shown * 1000, 1),
        "p50_ms": round(p50, 3),
        "p95_ms": round(p95, 3),
        "cpu_p50_ms": round(c50, 3),
        "cpu_p95_ms": round(c95, 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--process-runs", type=int, default=11)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--folder", type=Path, help="make the packs here and keep them (default: a temporary one)"
    )
    args = parser.parse_args()
    if args.folder is not None:
        args.folder.mkdir(parents=True, exist_ok=True)
    with (
        contextlib.nullcontext(str(args.folder))
        if args.folder
        else tempfile.TemporaryDirectory() as folder
    ):
        rows = [measure("guide", default_pack_dir(), args.repeats)]
        largest = None
        for size in args.sizes:
            root = synthetic_pack(Path(folder) / f"pack{size}", size)
            rows.append(measure(f"zipf-{size}", root, args.repeats))
            largest = root
        if args.sizes:
            size = max(args.sizes)
            shared = synthetic_pack(Path(folder) / f"shared{size}", size, shared=True)
            rows.append(measure(f"shared-{size}", shared, args.repeats))
        large = synthetic_pack(Path(folder) / "pack-10mb", 2000)
        process = whole_process_ratio(large, args.process_runs)
        typing = {"guide": keystroke_latency(default_pack_dir(), max(1, args.repeats // 2))}
        if largest is not None:
            typing[f"zipf-{max(args.sizes)}"] = keystroke_latency(largest, 1)
        f3 = f3_latency(Path(folder))
    if args.json:
        report = {"packs": rows, "whole_process": process, "keystroke": typing, "f3": f3}
        print(json.dumps(report, indent=2))
        return 0
    header = ("pack", "sections", "MB", "cold s", "warm s", "warm+html", "1st q", "1st fix",
              "q p50", "q p95", "(cpu)", "?? p50", "?? p95", "(cpu)")  # fmt: skip
    print(f"{header[0]:14}" + "".join(f"{h:>9}" for h in header[1:]))
    for r in rows:
        q, ask = r["query_ms"], r["question_ms"]
        assert isinstance(q, dict) and isinstance(ask, dict)
        opening = [r[k] for k in ("sections", "megabytes", "open_cold_s", "open_warm_s")]
        firsts = [r[k] for k in ("open_warm_window_s", "first_query_ms", "first_correction_ms")]
        timings = [q["p50"], q["p95"], q["cpu_p95"], ask["p50"], ask["p95"], ask["cpu_p95"]]
        cells = [*opening, *firsts, *timings]
        print(f"{r['pack']!s:14}" + "".join(f"{c!s:>9}" for c in cells))
    print(
        f"whole-process search: guide {process['guide_s'] * 1000:.1f} ms, ~10 MB pack (cached) "
        f"{process['large_s'] * 1000:.1f} ms, ratio {process['ratio']}"
    )
    for name, figures in typing.items():
        print(
            f"keystroke to results ({name}): p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']}"
            f" ms (CPU p95 {figures['cpu_p95_ms']} ms) over {figures['keystrokes']} keystrokes"
        )
    print(
        f"F3 with {f3['matches']} matches: p50 {f3['p50_ms']} ms, p95 {f3['p95_ms']} ms per"
        f" press (CPU p95 {f3['cpu_p95_ms']} ms); finding them all on Enter: {f3['show_ms']} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
