"""Tools room: the real-X tests, run after run under a parallel CPU load, until one fails.

    uv run python scripts/real_x_under_load.py [--runs 20] [--cpu 2]

Starts ``stress-ng --cpu N``, then runs every real-X test (tests/e2e and the kiosk tests)
``--runs`` times in a row, each run under ``dbus-run-session`` so the tests' own process has
a session bus too, with KETREADER_REQUIRE_TOOLS=1 so that nothing is skipped. Stops at the
first failing run and prints its output. Ends with the machine's specification and the
figures that docs/testing.md records.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TESTS = ("tests/e2e", "tests/security/test_kiosk_x11.py")


def machine() -> str:
    """CPU model, cores, memory, kernel and Python: what a figure depends on."""
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text("utf-8").splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = "?"
    for line in Path("/proc/meminfo").read_text("utf-8").splitlines():
        if line.startswith("MemTotal:"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    return (
        f"{model}, {os.cpu_count()} cores, {memory} RAM, Linux {platform.release()},"
        f" CPython {platform.python_version()}"
    )


def load() -> str:
    return Path("/proc/loadavg").read_text("utf-8").split()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--cpu", type=int, default=2, help="stress-ng CPU workers")
    args = parser.parse_args()
    for tool in ("stress-ng", "dbus-run-session"):
        if shutil.which(tool) is None:
            print(f"needs {tool}", file=sys.stderr)
            return 2

    command = [
        "dbus-run-session", "--", sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
        *TESTS,
    ]  # fmt: skip
    env = dict(os.environ, KETREADER_REQUIRE_TOOLS="1")
    print(f"{date.today().isoformat()}  {machine()}")
    shown = " ".join(["dbus-run-session", "--", "python", *command[3:]])
    print(f"load: stress-ng --cpu {args.cpu}; each run: {shown}")
    stress = subprocess.Popen(
        ["stress-ng", "--cpu", str(args.cpu), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    durations: list[float] = []
    loads: list[float] = []
    try:
        for run in range(1, args.runs + 1):
            started = time.monotonic()
            result = subprocess.run(
                command, cwd=REPO, env=env, capture_output=True, text=True, check=False
            )
            durations.append(time.monotonic() - started)
            loads.append(float(load()))
            summary = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
            print(f"run {run:2}: {summary}  (load {loads[-1]:.2f})", flush=True)
            if result.returncode != 0:
                print(result.stdout[-20000:], result.stderr[-5000:], sep="\n")
                print(f"FAILED at run {run} after {run - 1} passing runs in a row")
                return 1
    finally:
        os.killpg(stress.pid, signal.SIGTERM)
        stress.wait(timeout=30)
    print(
        f"{args.runs} runs in a row passed; a run took {min(durations):.1f} s to"
        f" {max(durations):.1f} s (median {statistics.median(durations):.1f} s); 1-minute"
        f" load average {min(loads):.2f} to {max(loads):.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
