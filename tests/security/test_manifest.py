"""Security tests: a hostile pack.toml is refused in one line, never followed, never blocks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ketreader.content.diagnostics import PackError
from ketreader.content.pack import load_pack
from ketreader.lint import check_pack
from tests.conftest import REPO, write_pack


def refusal(root: Path) -> str:
    with pytest.raises(PackError) as info:
        load_pack(root)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_a_manifest_nested_30000_deep_is_one_line_error(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n"})
    (root / "pack.toml").write_text("x = " + "[" * 30_000 + "]" * 30_000 + "\n", "utf-8")
    message = refusal(root)
    assert message.startswith(str(root / "pack.toml")) and "nests too deeply" in message
    assert [d.message for d in check_pack(root)] == ["TOML nests too deeply to read"]


def test_a_manifest_symlinked_out_of_the_pack_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.toml"
    secret.write_text('title = "SECRET-CONTENT"\ndocuments = [\n', "utf-8")  # a syntax error
    root = write_pack(tmp_path / "p", {"a.md": "# A\n"})
    (root / "pack.toml").unlink()
    (root / "pack.toml").symlink_to(secret)
    message = refusal(root)
    assert "leaves the pack" in message
    assert "SECRET" not in message and "line" not in message  # nothing of it was parsed


def test_a_manifest_symlinked_inside_the_pack_is_read(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n"})
    (root / "real.toml").write_text('title = "Inside"\ndocuments = ["a.md"]\n', "utf-8")
    (root / "pack.toml").unlink()
    (root / "pack.toml").symlink_to("real.toml")
    assert load_pack(root).title == "Inside"


def test_a_manifest_that_is_a_folder_is_named_so(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n"})
    (root / "pack.toml").unlink()
    (root / "pack.toml").mkdir()
    message = refusal(root)
    assert "is a folder" in message and "missing" not in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_manifest_that_is_a_fifo_is_named_so_and_never_blocks(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n"})
    (root / "pack.toml").unlink()
    os.mkfifo(root / "pack.toml")
    # In a child with a timeout: opening a FIFO for reading blocks until a writer comes.
    code = (
        "import sys\nfrom ketreader.content.pack import load_pack\n"
        "from ketreader.content.diagnostics import PackError\n"
        "try:\n    load_pack(sys.argv[1])\nexcept PackError as e:\n    print(e)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(root)],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=REPO,
        check=True,
    )
    assert "FIFO" in done.stdout and "missing" not in done.stdout


@pytest.mark.parametrize("twice", [["a.md", "./a.md"], ["a.md", "a.md/"], ["sub/../a.md", "a.md"]])
def test_the_same_document_spelled_twice_is_a_duplicate(tmp_path: Path, twice: list[str]) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n"})
    listed = ", ".join(f'"{d}"' for d in twice)
    (root / "pack.toml").write_text(f'title = "x"\ndocuments = [{listed}]\n', "utf-8")
    assert "lists the same file twice" in refusal(root)


def test_the_quick_look_before_opening_reads_the_manifest_as_loading_does(
    tmp_path: Path,
) -> None:
    # Deciding whether a pack opens at once, and what to call it while it is prepared, read
    # pack.toml with a loader of its own: a manifest nested 30,000 deep crashed it, and a
    # symlink out of the pack was followed.
    from ketreader.library_loader import opens_quickly, pack_label

    deep = tmp_path / "deep"
    deep.mkdir()
    (deep / "pack.toml").write_text(
        'title = "T"\ndocuments = ["a.md"]\nx = ' + "[" * 30_000 + "]" * 30_000 + "\n", "utf-8"
    )
    assert opens_quickly(deep) and pack_label(deep) == "deep"
    outside = tmp_path / "outside.toml"
    outside.write_text('title = "Secret title"\ndocuments = ["a.md"]\n', "utf-8")
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "pack.toml").symlink_to(outside)
    assert pack_label(linked) == "linked"


@pytest.mark.parametrize("looped", ["pack.toml", "a.md"])
def test_a_symlink_loop_is_refused_in_one_line(tmp_path: Path, looped: str) -> None:
    # Path.resolve() raises RuntimeError for a loop on Python 3.11: it was a traceback.
    root = write_pack(tmp_path / "p", {"a.md": "# A\n"})
    (root / looped).unlink()
    (root / looped).symlink_to(looped)
    message = refusal(root)
    assert message.startswith(str(root)) and looped in message
    done = subprocess.run(
        [sys.executable, "-m", "ketreader", "check", str(root)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        timeout=60,
    )
    assert done.returncode == 1 and "unexpected" not in done.stderr + done.stdout
