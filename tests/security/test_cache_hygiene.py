"""Security tests: the cache of rendered packs is checked, never trusted (issue 11).

A shared or damaged cache folder must cost speed at most: a FIFO in place of a cache file,
a file damaged mid-way, the leftovers of a killed build, a full disk.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import REPO, write_pack

_BODY = "\n\n".join(
    f"## Part {i}\n\n" + " ".join(f"filler{j % 97} words" for j in range(300)) for i in range(150)
)


def big_pack(root: Path) -> Path:
    """A pack whose cache is large enough (about 1 MB) to damage in its middle."""
    return write_pack(root, {"a.md": f"# Big\n\n{_BODY}\n\nunique zebra\n", "b.md": "# B\n\nbee\n"})


def run_open(root: Path, cache: Path, prelude: str = "") -> subprocess.CompletedProcess[str]:
    """Open ``root`` in a fresh process with ``cache`` as the cache folder; print a summary."""
    code = textwrap.dedent(prelude) + textwrap.dedent(
        f"""
        from ketreader.pipeline import open_library
        library = open_library({str(root)!r})
        hits = [h.id for h in library.index.search("zebra").hits]
        htmls = [library.document_html(i) for i in range(library.document_count)]
        print(len(library.sections), hits, sum(len(h) for h in htmls))
        """
    )
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), KETREADER_CACHE_DIR=str(cache))
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )


def cache_files(cache: Path) -> list[Path]:
    return sorted(p for p in cache.iterdir() if p.is_file())


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")
def test_a_fifo_in_place_of_a_cache_file_does_not_block(tmp_path: Path) -> None:
    root = big_pack(tmp_path / "p")
    cache = tmp_path / "cache"
    first = run_open(root, cache)
    assert first.returncode == 0, first.stderr
    files = cache_files(cache)
    assert files
    for path in files:  # whatever the cache's files are called, each becomes a FIFO
        path.unlink()
        os.mkfifo(path)
    try:
        again = run_open(root, cache)
    except subprocess.TimeoutExpired:
        pytest.fail("opening the pack blocked on a FIFO in the cache folder")
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout


def test_a_cache_damaged_mid_file_is_rebuilt_not_failed_on_every_run(tmp_path: Path) -> None:
    root = big_pack(tmp_path / "p")
    cache = tmp_path / "cache"
    first = run_open(root, cache)
    assert first.returncode == 0, first.stderr
    assert "['part-149']" in first.stdout
    damaged = 0
    for path in cache_files(cache):
        size = path.stat().st_size
        if size >= 256 * 1024:
            with path.open("r+b") as handle:
                handle.seek(size // 2 - 32 * 1024)
                handle.write(os.urandom(64 * 1024))
            damaged += 1
    assert damaged
    # The run that meets the damage may do without search, but must not fail...
    second = run_open(root, cache)
    assert second.returncode == 0, second.stderr
    assert "Traceback" not in second.stderr
    # ...and the next one has the pack whole again, from a rebuilt cache.
    third = run_open(root, cache)
    assert third.returncode == 0, third.stderr
    assert third.stdout == first.stdout


def test_temporaries_of_a_killed_build_are_cleaned_up(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    pid = int(dead.stdout)  # a process that has ended: nobody is writing its temporaries
    stale = [
        cache / f".index-{'a' * 40}.sqlite.{pid}.tmp",
        cache / f".index-{'a' * 40}.sqlite.{pid}.tmp-journal",
        cache / f".pack-{'b' * 40}-r1f1.ketpack.{pid}.tmp",
        cache / f".pack-{'b' * 40}-r1f1.ketpack.{pid}.tmp-journal",
    ]
    for path in stale:
        path.write_bytes(b"\0" * 4096)
    # A build running right now in another live process is left alone.
    live = cache / f".pack-{'c' * 40}-r1f1.ketpack.{os.getppid()}.tmp"
    live.write_bytes(b"\0" * 4096)
    root = big_pack(tmp_path / "p")
    opened = run_open(root, cache)
    assert opened.returncode == 0, opened.stderr
    left = [p.name for p in stale if p.exists()]
    assert left == [], f"stale temporaries left in the cache: {left}"
    assert live.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_full_cache_folder_only_costs_speed(tmp_path: Path) -> None:
    root = big_pack(tmp_path / "p")
    cache = tmp_path / "cache"
    whole = run_open(root, tmp_path / "other-cache")
    # Every write past 64 KiB fails with EFBIG, as on a disk that is full.
    full_disk = """
        import resource, signal
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, resource.RLIM_INFINITY))
    """
    for _ in range(2):
        opened = run_open(root, cache, full_disk)
        assert opened.returncode == 0, opened.stderr
        assert opened.stdout == whole.stdout
    leftovers = (
        [p.name for p in cache.iterdir() if p.name.startswith(".")] if cache.exists() else []
    )
    assert leftovers == [], f"a failed cache write left files behind: {leftovers}"


def test_another_packs_cache_in_place_of_this_ones_is_not_shown(tmp_path: Path) -> None:
    # A whole, valid compiled pack of another folder copied over this folder's cache file:
    # it opens without error, so only its fingerprint can tell it is not this pack's.
    root = big_pack(tmp_path / "p")
    other = write_pack(tmp_path / "other", {"a.md": "# Other\n\nunique zebra elsewhere\n"})
    cache = tmp_path / "cache"
    first = run_open(root, cache)
    assert first.returncode == 0, first.stderr
    (mine,) = cache.glob("pack-*.ketpack")
    mine.rename(tmp_path / "mine.ketpack")
    assert run_open(other, cache).returncode == 0
    (theirs,) = cache.glob("pack-*.ketpack")
    theirs.rename(mine)
    again = run_open(root, cache)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout
