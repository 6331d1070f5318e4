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


def _time(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(start to first paint, start to exit) in seconds, for one run."""
    wall = time.time_ns()
    start = time.perf_counter()
    done = subprocess.run(command, env=env, check=True, capture_output=True, timeout=60, text=True)
    total = time.perf_counter() - start
    stamps = [
        int(line.rsplit(" ", 1)[1])
        for line in done.stdout.splitlines()
        if "first paint at " in line
    ]
    if not stamps:
        raise SystemExit(f"{command[0]} did not report its first paint")
    return (stamps[0] - wall) / 1e9, total


def reader_env(home: str) -> dict[str, str]:
    """This environment for a reader run in ``home``: its own settings, cache and log."""
    # Python writes .pyc files on users' machines; some CI environments set
    # PYTHONDONTWRITEBYTECODE, which would make every run compile both programs'
    # Python modules from source, a cost no installed copy pays.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return dict(
        env,
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        XDG_CONFIG_HOME=f"{home}/config",
        KETREADER_CACHE_DIR=f"{home}/cache",
        KETREADER_LOG_DIR=f"{home}/logs",
    )


def measure(bare: list[str], reader: list[str], runs: int) -> dict[str, float]:
    """Medians of interleaved runs, so machine noise hits both sides alike."""
    with tempfile.TemporaryDirectory() as home:
        env = reader_env(home)
        _time(bare, env), _time(reader, env)  # warm the page cache for both
        bare_times, reader_times = [], []
        for _ in range(runs):
            bare_times.append(_time(bare, env))
            reader_times.append(_time(reader, env))
    result: dict[str, float] = {"runs": runs}
    for index, name in ((0, "paint"), (1, "exit")):
        bare_median = statistics.median(t[index] for t in bare_times)
        reader_median = statistics.median(t[index] for t in reader_times)
        result[f"bare_{name}_s"] = round(bare_median, 4)
        result[f"ketreader_{name}_s"] = round(reader_median, 4)
        result[f"{name}_ratio"] = round(reader_median / bare_median, 3)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--bare", nargs="+", help="command for the baseline (frozen builds)")
    parser.add_argument("--reader", nargs="+", help="ketreader executable (frozen builds)")
    args = parser.parse_args()
    bare = args.bare or [sys.executable, str(HERE / "bare_window.py")]
    # From source: the `ketreader` script that `uv run ketreader` runs, beside this Python.
    script = Path(sys.executable).with_name("ketreader")
    default = [str(script)] if script.is_file() else [sys.executable, "-m", "ketreader"]
    reader = [*(args.reader or default), "--quit-after-paint"]
    result = measure(bare, reader, args.runs)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"medians of {args.runs} interleaved runs   to first paint   whole process")
        for who, label in (("bare", "bare window"), ("ketreader", "ketreader")):
            paint, whole = result[f"{who}_paint_s"] * 1000, result[f"{who}_exit_s"] * 1000
            print(f"{label:30}{paint:12.1f} ms{whole:13.1f} ms")
        print(f"{'ratio':30}{result['paint_ratio']:15.3f}{result['exit_ratio']:16.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
