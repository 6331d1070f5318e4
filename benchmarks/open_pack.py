"""Benchmark room: opening a big pack, compiled and as a cached folder, against the guide.

For the 10,000-section pack of make_packs.py, in one run: `ketreader pack build` wall time;
then, interleaved with the bundled guide (one process per run, medians), first paint and
peak memory of the compiled pack and of the folder pack with its cache warm.
"""

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
sys.path.insert(0, str(HERE.parent))

from benchmarks.make_packs import make_pack  # noqa: E402
from benchmarks.startup import reader_env  # noqa: E402


def _reader() -> list[str]:
    script = Path(sys.executable).with_name("ketreader")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "ketreader"]


def _measured(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(start to first paint in seconds, peak RSS in MiB) of one process.

    The child is reaped with wait4 to read its own peak memory (RUSAGE_CHILDREN would give
    the most of every child so far).
    """
    wall = time.time_ns()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        pid = os.posix_spawn(
            command[0],
            command,
            env,
            file_actions=[
                (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
                (os.POSIX_SPAWN_DUP2, err.fileno(), 2),
            ],
        )
        _, status, usage = os.wait4(pid, 0)
        out.seek(0)
        err.seek(0)
        lines = out.read().splitlines()
        if status != 0:
            raise SystemExit(f"{command} failed: {err.read().decode()[-500:]}")
    stamps = [int(line.rsplit(b" ", 1)[1]) for line in lines if b"first paint at " in line]
    if not stamps:
        raise SystemExit(f"{command} did not report its first paint")
    return (stamps[0] - wall) / 1e9, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path, help="where the packs are made (kept between runs)")
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--sections", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--no-build", action="store_true", help="reuse the .ketpack of an earlier run"
    )
    args = parser.parse_args()
    folder = make_pack(args.folder / f"pack-{args.sections}", args.sections)
    compiled = args.folder / f"pack-{args.sections}.ketpack"
    reader = _reader()
    with tempfile.TemporaryDirectory() as home:
        env = reader_env(home)
        build_s = float("nan")
        if not (args.no_build and compiled.is_file()):
            start = time.perf_counter()
            subprocess.run(
                [*reader, "pack", "build", str(folder), "-o", str(compiled)],
                env=env,
                check=True,
                capture_output=True,
            )
            build_s = time.perf_counter() - start
        # The folder pack's cache, made once (as the first open would), then warm.
        subprocess.run(
            [*reader, "--content", str(folder), "sections"],
            env=env,
            check=True,
            capture_output=True,
        )
        kinds = {
            "guide": [*reader, "--quit-after-paint"],
            "compiled": [*reader, "--quit-after-paint", "--content", str(compiled)],
            "folder_warm": [*reader, "--quit-after-paint", "--content", str(folder)],
        }
        for command in kinds.values():  # warm the page cache for every side
            _measured(command, env)
        times: dict[str, list[tuple[float, float]]] = {k: [] for k in kinds}
        names = list(kinds)
        for run in range(args.runs):
            # Each round in another order, so no side always follows the same one.
            shift = run % len(names)
            for kind in names[shift:] + names[:shift]:
                times[kind].append(_measured(kinds[kind], env))
    result: dict[str, float] = {"runs": args.runs, "pack_build_s": round(build_s, 2)}
    for kind, runs in times.items():
        result[f"{kind}_paint_s"] = round(statistics.median(t for t, _ in runs), 4)
        result[f"{kind}_rss_mib"] = round(statistics.median(m for _, m in runs), 1)
    for kind in ("compiled", "folder_warm"):
        result[f"{kind}_paint_ratio"] = round(
            result[f"{kind}_paint_s"] / result["guide_paint_s"], 3
        )
        result[f"{kind}_rss_ratio"] = round(result[f"{kind}_rss_mib"] / result["guide_rss_mib"], 3)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:28}{value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
