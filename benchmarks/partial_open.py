"""Benchmark room: a big folder pack never opened before, read while it is prepared.

In one process, as the window does (offscreen): File > Open Pack on a pack the cache does
not hold, timed to the first document readable in the window and to the whole pack
prepared and cached, with the longest stall of the window's event loop meanwhile. The
baseline, in the same run and interleaved, is the same preparation with the documents not
streamed to the window (as before: the pack is shown only once it is whole).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "src")]

from benchmarks.make_packs import make_pack  # noqa: E402

TICK_MS = 5


def one_run(pack: Path, stream: bool) -> dict[str, float]:
    """Open ``pack`` from a cold cache in a fresh window; times in seconds."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ketreader.library import StoredLibrary
    from ketreader.library_loader import load_library
    from ketreader.partial_library import PartialLibrary
    from ketreader.policy import resolve
    from ketreader.preferences import Preferences
    from ketreader.ui import pack_preparer
    from ketreader.ui.main_window import MainWindow

    pack_preparer.STREAM_DOCUMENTS = stream
    app = QApplication.instance() or QApplication([])
    window = MainWindow(load_library(None).library, Preferences(resolve()))
    window.resize(1100, 760)
    window.show()
    while window.status_line is None:
        app.processEvents()
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    first: list[float] = []
    began = time.perf_counter()
    timer.start()
    window.open_pack(pack)
    while window.packs.preparing is not None:
        app.processEvents()
        if not first and isinstance(window.library, PartialLibrary):
            first.append(time.perf_counter() - began)
        time.sleep(0.001)
    whole = time.perf_counter() - began
    timer.stop()
    assert isinstance(window.library, StoredLibrary), "the pack was not prepared"
    gaps = sorted(b - a for a, b in itertools.pairwise(ticks))
    window.close()
    window.deleteLater()
    app.processEvents()
    return {
        "first_readable_s": first[0] if first else whole,
        "prepared_s": whole,
        "longest_stall_ms": 1000 * gaps[-1] if gaps else 0.0,
        "p99_stall_ms": 1000 * gaps[int(0.99 * (len(gaps) - 1))] if gaps else 0.0,
    }


def measure(pack: Path, runs: int) -> dict[str, float]:
    streamed: list[dict[str, float]] = []
    whole: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as home:
        os.environ.update(
            QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            XDG_CONFIG_HOME=f"{home}/config",
            KETREADER_LOG_DIR=f"{home}/logs",
        )
        for number in range(runs):
            for stream, into in ((False, whole), (True, streamed)):
                os.environ["KETREADER_CACHE_DIR"] = f"{home}/cache-{number}-{stream}"
                into.append(one_run(pack, stream))

    def median(results: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in results)

    result: dict[str, float] = {"runs": runs}
    result["baseline_first_readable_s"] = round(median(whole, "first_readable_s"), 2)
    result["first_readable_s"] = round(median(streamed, "first_readable_s"), 2)
    result["first_readable_ratio"] = round(
        result["first_readable_s"] / result["baseline_first_readable_s"], 3
    )
    result["baseline_prepared_s"] = round(median(whole, "prepared_s"), 2)
    result["prepared_s"] = round(median(streamed, "prepared_s"), 2)
    result["prepared_ratio"] = round(result["prepared_s"] / result["baseline_prepared_s"], 3)
    for key in ("longest_stall_ms", "p99_stall_ms"):
        result[f"baseline_{key}"] = round(median(whole, key), 1)
        result[key] = round(median(streamed, key), 1)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path, help="where the generated pack is (or goes)")
    parser.add_argument("--sections", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    pack = make_pack(args.folder / f"pack-{args.sections}", args.sections)
    print(json.dumps(measure(pack, args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
