"""Benchmark room: synthetic folder packs of 100, 1,000 and 10,000 sections.

Each section is about 5 KB of Markdown as an author writes it: paragraphs with emphasis and
links, a bulleted and a numbered list, a table, a quote. Five sections per document, and the
same headings ("Introduction", "Notes", ...) in every document, as real guides have. A few
small images are shown. The text is drawn from a fixed seed: the same pack every run.
"""

from __future__ import annotations

import argparse
import random
import struct
import sys
import zlib
from pathlib import Path

SIZES = (100, 1_000, 10_000)
SECTIONS_PER_DOCUMENT = 5
SHARED_HEADINGS = ("Introduction", "Dosing", "Risks", "Monitoring", "Notes")
IMAGES = 4
_WORDS = [
    "ketamine",
    "patient",
    "dose",
    "anaesthesia",
    "pain",
    "sedation",
    "clinician",
    "monitoring",
    "blood",
    "pressure",
    "heart",
    "rate",
    "breathing",
    "airway",
    "nausea",
    "dissociation",
    "emergence",
    "recovery",
    "ward",
    "theatre",
    "infusion",
    "bolus",
    "intravenous",
    "intramuscular",
    "oral",
    "nasal",
    "depression",
    "therapy",
    "session",
    "consent",
    "history",
    "screening",
    "risk",
    "benefit",
    "evidence",
    "trial",
    "study",
    "review",
    "guideline",
    "protocol",
    "team",
    "nurse",
    "doctor",
    "pharmacist",
    "record",
    "chart",
    "observation",
    "interval",
    "minute",
    "hour",
    "day",
    "week",
    "effect",
    "side",
    "tolerance",
    "dependence",
    "bladder",
    "liver",
    "kidney",
    "memory",
    "mood",
    "anxiety",
    "sleep",
    "dream",
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "is",
    "for",
    "with",
    "on",
    "as",
    "by",
    "at",
    "from",
    "that",
    "this",
    "be",
    "are",
    "was",
    "it",
    "or",
    "an",
    "which",
    "when",
    "should",
    "may",
    "can",
    "not",
    "have",
    "has",
    "been",
    "will",
    "each",
    "after",
    "before",
    "during",
]


_SYLLABLES = [
    "ka",
    "ro",
    "mi",
    "ne",
    "sta",
    "lo",
    "vi",
    "ter",
    "pan",
    "dor",
    "ex",
    "ul",
    "cin",
    "phar",
    "ma",
    "to",
    "sed",
    "rin",
    "gal",
    "om",
]


def _vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    """The common words above, then invented rarer ones: Zipf-like, as real text is."""
    words = list(_WORDS)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def _png(seed: int) -> bytes:
    """A tiny valid PNG (8x8, one colour), so image loading is real work, not a stub."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes((seed * 40 % 256, 90, 160)) * 8 for _ in range(8))
    header = struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _sentence(rng: random.Random, weights: list[float]) -> str:
    words = rng.choices(_VOCABULARY, weights, k=rng.randint(8, 20))
    return " ".join(words).capitalize() + "."


def _section(rng: random.Random, weights: list[float], doc: int, heading: str) -> str:
    """About 5 KB of one section's Markdown."""

    def para() -> str:
        return " ".join(_sentence(rng, weights) for _ in range(rng.randint(4, 7)))

    parts = [
        f"## {heading}\n",
        para(),
        f"See *the notes* in [the next part](#notes) and **{rng.choice(_WORDS)}**.",
        para(),
    ]
    parts.append("\n".join(f"- {_sentence(rng, weights)}" for _ in range(4)))
    parts.append(para())
    parts.append("\n".join(f"{n}. {_sentence(rng, weights)}" for n in range(1, 4)))
    rows = ["| Measure | Value | Comment |", "| --- | --- | --- |"]
    rows += [
        f"| {rng.choice(_WORDS)} | {rng.randint(1, 500)} mg | {_sentence(rng, weights)} |"
        for _ in range(4)
    ]
    parts.append("\n".join(rows))
    parts.append("> " + _sentence(rng, weights) + " " + _sentence(rng, weights))
    parts.append(para())
    if heading == "Notes" and doc % 50 == 0:
        parts.append(f"![Chart {doc}](img/chart{doc % IMAGES}.png)")
    parts.append(para())
    return "\n\n".join(parts) + "\n"


def make_pack(root: Path, sections: int) -> Path:
    """A folder pack of ``sections`` sections (kept if already made: same seed, same text)."""
    if (root / "pack.toml").is_file():
        return root
    rng = random.Random(sections)
    weights = [1 / (rank + 2.7) for rank in range(len(_VOCABULARY))]  # Zipf-Mandelbrot
    (root / "img").mkdir(parents=True, exist_ok=True)
    for n in range(IMAGES):
        (root / "img" / f"chart{n}.png").write_bytes(_png(n))
    names = []
    documents = max(1, sections // SECTIONS_PER_DOCUMENT)
    for doc in range(documents):
        text = [f"# Chapter {doc}: {rng.choice(_WORDS)} and {rng.choice(_WORDS)}\n"]
        text += [_section(rng, weights, doc, heading) for heading in SHARED_HEADINGS]
        name = f"ch{doc:05d}.md"
        (root / name).write_text("\n".join(text), "utf-8")
        names.append(f'"{name}"')
    manifest = f'title = "Synthetic pack of {sections} sections"\nversion = "1"\nlanguage = "en"\n'
    manifest += "documents = [\n  " + ",\n  ".join(names) + ",\n]\n"
    (root / "pack.toml").write_text(manifest, "utf-8")
    return root


_VOCABULARY = _vocabulary(random.Random(0))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path, help="where the packs go (one folder per size)")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args()
    for size in args.sizes:
        root = make_pack(args.folder / f"pack-{size}", size)
        total = sum(p.stat().st_size for p in root.glob("*.md"))
        print(f"{root}: {size} sections, {total / 1e6:.1f} MB of Markdown")
    return 0


if __name__ == "__main__":
    sys.exit(main())
