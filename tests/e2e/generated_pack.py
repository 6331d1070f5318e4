"""Test data: a folder pack of many documents of realistic Markdown, made on the spot."""

from __future__ import annotations

import random
from pathlib import Path

_TEXT = (
    "ketamine dose patient clinical effect anaesthesia analgesia receptor brain session "
    "monitoring safety risk bladder blood pressure heart rate dissociation memory mood "
    "treatment evidence trial guideline nurse physician ward recovery sedation airway "
    "the a of and to in is for with on as by that this from at are be it or which"
)
_WORDS = tuple(_TEXT.split(" "))


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choices(_WORDS, k=rng.randint(10, 22))).capitalize() + "."


def _document(rng: random.Random, number: int, size: int) -> str:
    parts = [f"# Chapter {number}\n", " ".join(_sentence(rng) for _ in range(4)) + "\n"]
    section = 0
    while sum(map(len, parts)) < size:
        section += 1
        parts.append(f"## Topic {number}.{section}\n")
        parts.append(" ".join(_sentence(rng) for _ in range(5)) + "\n")
        parts.append("\n".join(f"- {_sentence(rng)}" for _ in range(3)) + "\n")
        parts.append(
            "| Measure | Value |\n| --- | --- |\n| Dose | 0.5 mg/kg |\n| Time | 40 min |\n"
        )
        parts.append(f"> {_sentence(rng)}\n")
        parts.append(f"See [chapter 1](doc0000.md) and **{rng.choice(_WORDS)}**.\n")
    return "\n".join(parts)


def generated_pack(root: Path, documents: int, size: int = 6000, title: str = "") -> Path:
    """``documents`` files of about ``size`` bytes each: headings, lists, tables, quotes."""
    rng = random.Random(14)
    root.mkdir(parents=True, exist_ok=True)
    names = []
    for number in range(documents):
        name = f"doc{number:04d}.md"
        (root / name).write_text(_document(rng, number, size), "utf-8")
        names.append(f'"{name}"')
    title = title or f"Generated guide of {documents} documents"
    (root / "pack.toml").write_text(
        f'title = "{title}"\nlanguage = "en"\ndocuments = [{", ".join(names)}]\n', "utf-8"
    )
    return root
