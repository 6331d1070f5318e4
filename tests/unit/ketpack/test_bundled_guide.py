"""Packaging tests: an installed copy opens its guide compiled, and workers start as workers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ketreader import resources
from ketreader.ketpack.build import build_pack
from ketreader.library import StoredLibrary
from ketreader.library_loader import load_library
from tests.conftest import GUIDE, REPO


def test_an_installed_copy_opens_the_compiled_guide(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "resources"
    (bundle / "content").mkdir(parents=True)
    build_pack(GUIDE, bundle / "content" / "what-is-ketamine.ketpack")
    monkeypatch.setattr(resources, "resource_path", lambda *parts: bundle.joinpath(*parts))
    assert resources.default_pack_dir() == bundle / "content" / "what-is-ketamine.ketpack"
    library = load_library(None).library
    assert isinstance(library, StoredLibrary) and library.title == "What is ketamine?"
    assert load_library(None).library.fingerprint == load_library(GUIDE).library.fingerprint


def test_from_source_the_guide_is_its_folder() -> None:
    assert resources.default_pack_dir() == GUIDE


def test_the_frozen_entry_serves_as_a_render_worker() -> None:
    from ketreader.render.draft import DocumentDraft
    from ketreader.render_pool import read_frame, write_frame

    worker = subprocess.Popen(
        [sys.executable, str(REPO / "packaging" / "ketreader_entry.py"), "--render-worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    assert worker.stdin is not None and worker.stdout is not None
    write_frame(worker.stdin, (7, "a.md", "# Dose\n\nText.\n"))
    answer = read_frame(worker.stdout)
    worker.stdin.close()
    assert worker.wait(timeout=30) == 0
    assert isinstance(answer, tuple) and answer[0] == 7
    assert isinstance(answer[1], DocumentDraft) and answer[1].problem is None
