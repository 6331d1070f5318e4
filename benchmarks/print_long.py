"""Benchmark room: a long guide exported to PDF through the window, against a short one.

For each pack (make_packs.py's, by default 1,000 and 10,000 sections), one process opens
the pack in the main window and runs File > Export > Guide as PDF with a 10 ms timer
ticking, as a reader's window would. Reported: wall time, pages, time per page, the
longest wait of the event loop while the PDF was made, and the process's peak memory.
The 1,000-section pack is the baseline: time per page and memory are given against it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def measure(pack: Path, target: Path) -> dict[str, float]:
    """One export of ``pack`` to ``target`` in this process (QT_QPA_PLATFORM decides where)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ketreader.library_loader import load_library
    from ketreader.policy import resolve
    from ketreader.preferences import Preferences
    from ketreader.ui.main_window import MainWindow

    app = QApplication([sys.argv[0], "-style", "fusion"])
    window = MainWindow(load_library(pack, fallback=False).library, Preferences(resolve()))
    window.show()
    # The window's own first work (menus after the first paint, the outline) is let finish,
    # so that the waits measured are the PDF's.
    settle = time.monotonic() + 3.0
    while time.monotonic() < settle or not window.actions_by_name:
        app.processEvents()
        time.sleep(0.005)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    started = time.monotonic()
    written = window.exports.export_pdf(whole=True, target=target)
    ended = time.monotonic()
    assert written == target
    times = [started, *ticks, ended]
    from pypdf import PdfReader

    pages = len(PdfReader(target).pages)
    return {
        "seconds": ended - started,
        "pages": pages,
        "worst_gap_ms": 1000 * max(b - a for a, b in itertools.pairwise(times)),
        "worst_gap_at_s": max(itertools.pairwise(times), key=lambda p: p[1] - p[0])[0] - started,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "megabytes": target.stat().st_size / 1e6,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("packs", type=Path, nargs="*", help="pack folders (default: made)")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # a child's pack
    args = parser.parse_args()
    if args.one is not None:
        with tempfile.TemporaryDirectory() as temp:
            print(json.dumps(measure(args.one, Path(temp) / "guide.pdf")))
        return 0
    packs = list(args.packs)
    if not packs:
        from benchmarks.make_packs import make_pack

        made = Path(tempfile.mkdtemp(prefix="print-long-"))
        packs = [make_pack(made / f"pack-{n}", n) for n in (1_000, 10_000)]
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    results = []
    for pack in packs:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(pack)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        results.append((pack, json.loads(out.stdout.strip().splitlines()[-1])))
    base = results[0][1]
    for pack, r in results:
        per_page = r["seconds"] / r["pages"]
        print(
            f"{pack.name}: {r['pages']:,.0f} pages, {r['megabytes']:.0f} MB in {r['seconds']:.1f} s"
            f" ({1000 * per_page:.2f} ms a page, "
            f"{per_page / (base['seconds'] / base['pages']):.2f}x the first),"
            f" longest wait {r['worst_gap_ms']:.0f} ms ({r['worst_gap_at_s']:.1f} s in),"
            f" peak {r['peak_mib']:.0f} MiB ({r['peak_mib'] / base['peak_mib']:.2f}x)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
