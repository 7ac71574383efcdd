"""Measure how many comments per second the whole path from a CSV file to codes handles.

Usage: python benchmarks/bench_classify.py REVIEWS.csv [--column text] [--repeat 3]

Each run reads the CSV with pandas, builds a fresh Classifier (empty caches) and
codes every row with ``code_frame``. The best run is reported, because other load
on the machine only ever slows a run down. The CPU time of the process is shown
beside the wall-clock time because other processes disturb it less.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from netno import normalize  # noqa: E402
from netno.classify import Classifier  # noqa: E402


def run_once(path: Path, column: str) -> tuple[int, float, float]:
    """Read ``path`` and code it from cold caches.

    Returns:
        The row count, the wall-clock seconds and the CPU seconds of this process.
    """
    normalize.normalize_word.cache_clear()
    normalize._chunk_pieces.cache_clear()
    started, cpu_started = time.perf_counter(), time.process_time()
    frame = pd.read_csv(path, dtype={column: "string"})
    coded = Classifier().code_frame(frame, text_column=column)
    return len(coded), time.perf_counter() - started, time.process_time() - cpu_started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path, help="CSV file with one comment per row")
    parser.add_argument("--column", default="text", help="column that contains the comment text")
    parser.add_argument(
        "--repeat", type=int, default=3, help="number of runs; the best is reported"
    )
    args = parser.parse_args()

    Classifier()  # load the codebook and the slang table outside the timed runs
    normalize.normalize_word("a")
    results = [run_once(args.csv, args.column) for _ in range(args.repeat)]
    rows = results[0][0]
    wall = min(result[1] for result in results)
    cpu = min(result[2] for result in results)
    print(f"{rows} comments, best of {args.repeat}")
    print(f"  wall clock: {wall:.3f} s, {rows / wall:,.0f} comments/s")
    print(f"  CPU time:   {cpu:.3f} s, {rows / cpu:,.0f} comments/s (one core)")
    print("runs, wall (s): " + ", ".join(f"{result[1]:.3f}" for result in results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
