"""Logging room tests: named loggers, the size-capped file, and Qt's messages in it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ketreader import log
from tests.conftest import REPO


def test_each_room_logs_under_its_own_name_to_the_file(isolated_user_dirs: Path) -> None:
    log.get("search").warning("query failed: %s", "database disk image is malformed")
    log.get("policy").info("a fact")
    log.get("ui").debug("too chatty for the file")
    lines = log.log_file().read_text("utf-8").splitlines()
    assert any(
        "WARNING ketreader.search: query failed: database disk image is malformed" in line
        for line in lines
    )
    assert any("INFO ketreader.policy: a fact" in line for line in lines)
    assert not any("too chatty" in line for line in lines)


def test_the_file_is_capped_and_the_older_half_kept_once(
    isolated_user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(log, "MAX_LOG_BYTES", 2000)
    for number in range(200):
        log.get("search").warning("record %03d %s", number, "x" * 40)
    current = log.log_file()
    older = current.with_name(log.LOG_FILE + ".1")
    assert current.stat().st_size <= 2000 + 200  # one record past the cap at most
    assert older.stat().st_size <= 2000 + 200
    assert "record 199" in current.read_text("utf-8")
    assert sorted(p.name for p in current.parent.iterdir()) == [log.LOG_FILE, log.LOG_FILE + ".1"]


QT_WARNS = """
from PySide6.QtCore import QCoreApplication, qWarning, qCritical
from ketreader.log import install_qt_handler, setup
setup(stderr=True)
app = QCoreApplication([])
install_qt_handler()
qWarning("a warning from Qt itself")
qCritical("a critical message from Qt")
"""


def test_qt_messages_go_to_the_log_file_not_the_terminal(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), KETREADER_LOG_DIR=str(tmp_path))
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = subprocess.run(
        [sys.executable, "-c", QT_WARNS],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "from Qt" not in result.stderr
    text = (tmp_path / log.LOG_FILE).read_text("utf-8")
    assert "WARNING ketreader.qt: default: a warning from Qt itself" in text
    assert "ERROR ketreader.qt: default: a critical message from Qt" in text


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_place_of_the_log_file_does_not_hang_the_reader(
    isolated_user_dirs: Path,
) -> None:
    """Opening a FIFO to write blocks until someone reads it: every warning would hang."""
    import threading

    path = log.log_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    worker = threading.Thread(target=lambda: log.get("ui").warning("hello"), daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():
        reader = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # releases the blocked writer
        worker.join(10)
        os.close(reader)
        pytest.fail("logging blocked on a FIFO")
    assert log._file_handler.last_path is None  # nothing written, and nothing claimed
