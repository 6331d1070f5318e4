"""Benchmark room: start-up to first paint, ketreader against a bare PySide6 window."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=60)
    return time.perf_counter() - start


def measure(bare: list[str], reader: list[str], runs: int) -> dict[str, float]:
    """Medians of interleaved runs, so machine noise hits both sides alike."""
    with tempfile.TemporaryDirectory() as home:
        # Python writes .pyc files on users' machines; this workplace sets
        # PYTHONDONTWRITEBYTECODE, which would make every run compile both programs'
        # Python modules from source, a cost no installed copy pays.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env = dict(
            env,
            QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            XDG_CONFIG_HOME=f"{home}/config",
            KETREADER_CACHE_DIR=f"{home}/cache",
            KETREADER_LOG_DIR=f"{home}/logs",
        )
        _time(bare, env), _time(reader, env)  # warm the page cache for both
        bare_times, reader_times = [], []
        for _ in range(runs):
            bare_times.append(_time(bare, env))
            reader_times.append(_time(reader, env))
    bare_median = statistics.median(bare_times)
    reader_median = statistics.median(reader_times)
    return {
        "bare_s": round(bare_median, 4),
        "ketreader_s": round(reader_median, 4),
        "ratio": round(reader_median / bare_median, 3),
        "runs": runs,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--bare", nargs="+", help="command for the baseline (frozen builds)")
    parser.add_argument("--reader", nargs="+", help="ketreader executable (frozen builds)")
    args = parser.parse_args()
    bare = args.bare or [sys.executable, str(HERE / "bare_window.py")]
    reader = (
        [*args.reader, "--quit-after-paint"]
        if args.reader
        else [sys.executable, "-m", "ketreader", "--quit-after-paint"]
    )
    result = measure(bare, reader, args.runs)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"bare window   {result['bare_s'] * 1000:8.1f} ms (median of {args.runs})")
        print(f"ketreader     {result['ketreader_s'] * 1000:8.1f} ms")
        print(f"ratio         {result['ratio']:8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
