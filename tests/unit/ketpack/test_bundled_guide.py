"""Packaging tests: an installed copy opens its guide compiled, and workers start as workers."""

from __future__ import annotations

import importlib.util
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


def test_the_frozen_entry_tells_a_pool_worker_from_a_reader() -> None:
    spec = importlib.util.spec_from_file_location(
        "ketreader_entry", REPO / "packaging" / "ketreader_entry.py"
    )
    assert spec is not None and spec.loader is not None
    entry = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(entry)
    worker = entry._started_by_multiprocessing
    assert worker(["--multiprocessing-fork", "tracker_fd=5", "pipe_handle=7"])
    assert worker(["-B", "-s", "-c", "from multiprocessing.resource_tracker import main;main(5)"])
    assert not worker([])
    assert not worker(["--content", "pack.ketpack", "--section", "dosing"])
