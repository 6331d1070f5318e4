"""Benchmark room: first paint with a large folder pack never opened before, against the guide's.

Each run of the pack starts with a cache that holds only the guide: the window must
paint with the guide while the pack is prepared in the background. ``--quit-after-paint``
reports the first paint and quits once the preparation has ended, so "whole process" is the
full preparation too.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

from tests.e2e.generated_pack import generated_pack  # noqa: E402

from benchmarks.startup import _time  # noqa: E402


def measure(documents: int, runs: int) -> dict[str, float]:
    """Medians of interleaved runs: the guide, then the pack from a cold cache."""
    script = Path(sys.executable).with_name("ketreader")
    reader = [str(script)] if script.is_file() else [sys.executable, "-m", "ketreader"]
    with tempfile.TemporaryDirectory() as home:
        pack = generated_pack(Path(home) / "pack", documents, size=5000)
        base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        base.update(
            QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            XDG_CONFIG_HOME=f"{home}/config",
            KETREADER_LOG_DIR=f"{home}/logs",
        )

        def run(args: list[str], cache: str) -> tuple[float, float]:
            env = dict(base, KETREADER_CACHE_DIR=cache)
            return _time([*reader, *args, "--quit-after-paint"], env)

        run([], f"{home}/guide-cache")  # warm the page cache
        guide, cold = [], []
        for number in range(runs):
            guide.append(run([], f"{home}/guide-cache"))
            # Cold for the pack only: the guide shown meanwhile is cached, as on any start
            # after the first.
            cache = f"{home}/cold-{number}"
            shutil.copytree(f"{home}/guide-cache", cache)
            cold.append(run(["--content", str(pack)], cache))
    result: dict[str, float] = {"runs": runs, "documents": documents}
    result["guide_paint_s"] = round(statistics.median(t[0] for t in guide), 4)
    result["cold_pack_paint_s"] = round(statistics.median(t[0] for t in cold), 4)
    result["paint_ratio"] = round(result["cold_pack_paint_s"] / result["guide_paint_s"], 3)
    result["cold_pack_prepared_s"] = round(statistics.median(t[1] for t in cold), 3)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(measure(args.documents, args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
