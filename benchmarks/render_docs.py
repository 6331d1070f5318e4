"""Benchmark room: rendering a large folder pack, against the renderer it replaced.

Generates packs of realistic Markdown (about 5 KB per section: paragraphs with emphasis,
links across documents, lists, tables, quotes, code, images, safety notes) whose documents
share headings ("Introduction", "Notes", ...), then measures in the same run:

- the baseline: the previous renderer (the commit before ``render/scan.py`` replaced
  ``render/walker.py``, extracted with ``git archive``), ``render_pack`` in one process;
- the current renderer: ``render_draft`` over a pool of worker processes (the pool's
  start-up counted), then ``assemble`` in the main process; and in one process alone;
- per-document render time from 500 to 4,000 documents, to show it stays flat.

Each renderer runs in a fresh process of its own, on a pack already loaded there. Figures are
medians of interleaved runs, and ratios against the baseline.

    uv run python benchmarks/render_docs.py --sections 10000 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED_HEADINGS = (
    "Introduction", "Notes", "Background", "Dosage", "Side effects", "Summary",
    "Further reading", "Key points", "Monitoring", "Contraindications",
)  # fmt: skip
_VOCABULARY = (
    "ketamine dose patient clinical effect anaesthesia sedation monitoring receptor "
    "analgesia emergency psychiatric research evidence guideline safety blood pressure "
    "infusion hospital trial depression response treatment outcome adverse event the of "
    "and in to a is for with on as by that this be are was it at an or from which"
)
WORDS = tuple(_VOCABULARY.split())


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    if rng.random() < 0.3:
        i = rng.randrange(len(words))
        words[i] = f"**{words[i]}**"
    if rng.random() < 0.2:
        i = rng.randrange(len(words))
        words[i] = f"`{words[i]}`"
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, documents: int, sentences: int = 5) -> str:
    parts = [_sentence(rng) for _ in range(sentences)]
    if rng.random() < 0.5:
        target = rng.randrange(documents)
        parts.append(f"See [document {target}](doc{target:05d}.md#introduction).")
    if rng.random() < 0.2:
        parts.append("Read the [guideline](https://example.org/guideline).")
    return " ".join(parts)


def _section(rng: random.Random, documents: int, level: int, title: str) -> str:
    blocks = [f"{'#' * level} {title}", _paragraph(rng, documents), _paragraph(rng, documents)]
    blocks.append("\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(3, 6))))
    blocks.append(_paragraph(rng, documents, 6))
    blocks.append(
        "| Measure | Value | Comment |\n| --- | ---: | --- |\n"
        + "\n".join(
            f"| {rng.choice(WORDS)} | {rng.randint(1, 500)} mg | {_sentence(rng)} |"
            for _ in range(4)
        )
    )
    blocks.append("\n".join(f"{n}. {_sentence(rng)}" for n in range(1, rng.randint(3, 5))))
    blocks.append("> " + _paragraph(rng, documents, 3))
    if rng.random() < 0.3:
        blocks.append("```\nrate = dose / weight\nprint(rate)\n```")
    if rng.random() < 0.2:
        blocks.append("![A chart of the doses](img/chart.png)")
    if rng.random() < 0.1:
        blocks.append(_paragraph(rng, documents, 2) + "\n{: .safety-note}")
    blocks.append(_paragraph(rng, documents, 4))
    return "\n\n".join(blocks)


def generate(
    root: Path, documents: int, sections_per_document: int, seed: int = 14, rich: bool = True
) -> Path:
    """A folder pack of ``documents`` documents; every document shares most headings.

    ``rich`` sections are about 5 KB; the others are a heading and one paragraph.
    """
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "img").mkdir(exist_ok=True)
    (root / "img" / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    names = [f"doc{i:05d}.md" for i in range(documents)]
    for i, name in enumerate(names):
        parts = [_section(rng, documents, 1, f"Document {i}")]
        for n in range(1, sections_per_document):
            title = SHARED_HEADINGS[n % len(SHARED_HEADINGS)] if n < 8 else f"Topic {i}.{n}"
            level = 3 if n % 4 == 3 else 2
            if rich:
                parts.append(_section(rng, documents, level, title))
            else:
                parts.append(f"{'#' * level} {title}\n\n{_paragraph(rng, documents)}")
        (root / name).write_text("\n\n".join(parts) + "\n", "utf-8")
    listed = ", ".join(f'"{n}"' for n in names)
    (root / "pack.toml").write_text(f'title = "Benchmark"\ndocuments = [{listed}]\n', "utf-8")
    return root


# -- the baseline: the previous renderer, run from its own source tree ----------------------

_BASELINE_RUN = """
import json, sys, time
from ketreader.content.pack import load_pack
from ketreader.render.pack_render import render_pack
pack = load_pack(sys.argv[1])
start = time.perf_counter()
rendered = render_pack(pack)
seconds = time.perf_counter() - start
outline = [[s.id, s.title, s.level, s.parent, s.document] for s in rendered.sections]
print(json.dumps({"seconds": seconds, "outline": outline}))
"""


def baseline_commit() -> str:
    """The commit before the single-pass renderer (the parent of walker.py's removal)."""
    removed = subprocess.run(
        ["git", "rev-list", "-1", "HEAD", "--", "src/ketreader/render/walker.py"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return f"{removed}^"


def extract(commit: str, into: Path) -> Path:
    archive = into / "baseline.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "archive", commit, "src"], cwd=REPO, check=True, stdout=out)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def run_baseline(source: Path, pack: Path) -> tuple[float, list[list[object]]]:
    env = dict(os.environ, PYTHONPATH=str(source))
    done = subprocess.run(
        [sys.executable, "-c", _BASELINE_RUN, str(pack)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(done.stdout)
    return float(result["seconds"]), result["outline"]


# -- the current renderer, run the same way in a process of its own --------------------------

_CURRENT_RUN = """
import json, sys, time
from concurrent.futures import ProcessPoolExecutor
from ketreader.content.pack import load_pack
from ketreader.render.draft import render_draft
from ketreader.render.pack_render import assemble
pack = load_pack(sys.argv[1])
workers = int(sys.argv[2])
start = time.perf_counter()
paths = [d.path for d in pack.documents]
texts = [d.text for d in pack.documents]
if workers > 1:
    with ProcessPoolExecutor(workers) as pool:
        drafts = list(pool.map(render_draft, paths, texts, chunksize=8))
else:
    drafts = [render_draft(p, t) for p, t in zip(paths, texts)]
rendered = assemble(pack, drafts)
seconds = time.perf_counter() - start
outline = [[s.id, s.title, s.level, s.parent, s.document] for s in rendered.sections]
print(json.dumps({"seconds": seconds, "outline": outline}))
"""


def run_current(pack: Path, workers: int) -> tuple[float, list[list[object]]]:
    """render_draft over a pool of ``workers`` processes (its start counted), then assemble."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", _CURRENT_RUN, str(pack), str(workers)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(done.stdout)
    return float(result["seconds"]), result["outline"]


def full_render(sections: int, workers: int, runs: int, work: Path) -> dict[str, object]:
    per_document = 10
    pack = generate(work / f"pack-{sections}", sections // per_document, per_document)
    source = extract(baseline_commit(), work)
    old_times, new_times, one_times = [], [], []
    same = True
    for _ in range(runs):
        old, old_outline = run_baseline(source, pack)
        new, new_outline = run_current(pack, workers)
        one, _ = run_current(pack, 1)
        old_times.append(old)
        new_times.append(new)
        one_times.append(one)
        same = same and old_outline == new_outline
    old_median = statistics.median(old_times)
    new_median = statistics.median(new_times)
    one_median = statistics.median(one_times)
    return {
        "sections": sections,
        "runs": runs,
        "baseline_s": round(old_median, 2),
        f"current_{workers}_workers_s": round(new_median, 2),
        "current_1_process_s": round(one_median, 2),
        "ratio": round(new_median / old_median, 3),
        "ratio_1_process": round(one_median / old_median, 3),
        "same_outline": same,
    }


def flatness(counts: list[int], runs: int, work: Path) -> dict[str, object]:
    """Render time per document (one process, render_pack) as the pack grows."""
    from ketreader.content.pack import load_pack
    from ketreader.render.pack_render import render_pack

    per_document: dict[int, float] = {}
    for count in counts:
        # Short sections, every heading but the title shared by all documents.
        pack = load_pack(generate(work / f"flat-{count}", count, 4, rich=False))
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            render_pack(pack)
            times.append((time.perf_counter() - start) / count)
        per_document[count] = statistics.median(times)
    first = per_document[counts[0]]
    return {
        "ms_per_document": {n: round(t * 1000, 3) for n, t in per_document.items()},
        "ratio_to_smallest": {n: round(t / first, 3) for n, t in per_document.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--flat", default="500,1000,2000,4000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        result = {
            "full_render": full_render(args.sections, args.workers, args.runs, work),
            "flatness": flatness([int(n) for n in args.flat.split(",")], args.runs, work),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
