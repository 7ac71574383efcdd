"""Measure the comments per second of the whole path from an export file to codes.

Usage: python benchmarks/bench_pipeline.py EXPORT.csv [--repeat 3] [--replicate K]

Each run clears the normalisation caches, builds a fresh Classifier (its parsed
patterns are cached per process, like ``re``'s compiled patterns) and times the
stages ``netno.ingest.read_path``, ``netno.privacy.protect_frame``,
``Classifier.code_frame`` and ``netno.pipeline.add_calendar_columns`` in CPU time
of this process (``time.process_time``, so one core) and in wall-clock time. The
best run of each stage is reported, because other load on the machine only slows
a run down.

``--replicate K`` writes a temporary copy of the file with every row repeated K
times. Each copy's texts get a distinct suffix of letters (" #b", " #c", ...), so
caching identical texts cannot make the larger file look faster than it is.
Letters, not digits, because a digit sends a text through every masking pattern of
``protect_frame``.

The report names the path of the chunk loops of ``netno.normalize``: the C
extension ``netno._chunks`` when it is built, else pure Python. It also names the
path of the gate's candidate loop in ``netno.classify``: the C extension
``netno._gate`` when it is built, else numpy. Setting ``NETNO_PURE_PYTHON=1``
measures the pure-Python and numpy paths.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from netno import classify, normalize  # noqa: E402
from netno.classify import Classifier  # noqa: E402
from netno.ingest import read_path  # noqa: E402
from netno.pipeline import add_calendar_columns  # noqa: E402
from netno.privacy import protect_frame  # noqa: E402

STAGES = ("read_path", "protect_frame", "code_frame", "add_calendar_columns")
_SECRET = b"benchmark-key-not-a-real-secret"


def _clear_caches() -> None:
    """Empty every per-process cache that coding fills, so each run starts cold."""
    normalize.normalize_word.cache_clear()
    normalize._chunk_pieces.cache_clear()


def _path(extension: ModuleType | None, name: str, fallback: str) -> str:
    """Name the path a module took at import: the C extension ``netno.<name>`` or ``fallback``."""
    if extension is not None:
        return f"C extension netno.{name}"
    if os.environ.get(normalize.PURE_PYTHON_ENV) == "1":
        return f"{fallback} ({normalize.PURE_PYTHON_ENV}=1)"
    return f"{fallback} (netno.{name} is not built; pip install -e . builds it)"


def _timed(call: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, time.process_time() - cpu, time.perf_counter() - wall


def run_once(path: Path) -> tuple[int, dict[str, tuple[float, float]]]:
    """Run the four stages once from cold caches.

    Returns:
        The comment count, and per stage the CPU seconds and the wall-clock seconds.
    """
    _clear_caches()
    seconds: dict[str, tuple[float, float]] = {}
    ingest, *seconds["read_path"] = _timed(lambda: read_path(path))
    protected, *seconds["protect_frame"] = _timed(
        lambda: protect_frame(ingest.comments, secret=_SECRET)
    )
    coded, *seconds["code_frame"] = _timed(lambda: Classifier().code_frame(protected))
    final, *seconds["add_calendar_columns"] = _timed(lambda: add_calendar_columns(coded))
    return len(final), {stage: (cpu, wall) for stage, (cpu, wall) in seconds.items()}


def _letters(number: int) -> str:
    """Spell ``number`` (1 or more) in base 26 with the letters a to z."""
    letters = ""
    while number:
        number, digit = divmod(number - 1, 26)
        letters = chr(ord("a") + digit) + letters
    return letters


def replicate(path: Path, copies: int, directory: Path) -> Path:
    """Write ``path`` repeated ``copies`` times with distinct text suffixes; return the new path.

    Raises:
        ValueError: the file has no ``text`` column.
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "text" not in frame.columns:
        raise ValueError(f"{path} has no 'text' column; --replicate needs one")
    parts = [frame]
    for copy in range(2, copies + 1):
        part = frame.copy()
        part["text"] = part["text"] + " #" + _letters(copy)
        for column in ("review_id", "reviewId", "id"):
            if column in part.columns:
                part[column] = part[column] + f"-{copy}"
        parts.append(part)
    target = directory / f"{path.stem}_x{copies}.csv"
    pd.concat(parts, ignore_index=True).to_csv(target, index=False)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", type=Path, help="export file that netno.ingest can read")
    parser.add_argument(
        "--repeat", type=int, default=3, help="number of runs; the best of each stage is reported"
    )
    parser.add_argument(
        "--replicate",
        type=int,
        default=1,
        metavar="K",
        help="code a CSV copy with every row repeated K times, texts made distinct",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        path = args.export
        if args.replicate > 1:
            path = replicate(args.export, args.replicate, Path(directory))
        # Load the codebook, the slang table and pandas' lazy imports outside the timed runs.
        Classifier().code_frame(pd.DataFrame({"text": ["aplikasi error"]}))
        results = [run_once(path) for _ in range(args.repeat)]

    rows = results[0][0]
    print(f"{rows} comments, best of {args.repeat} runs per stage")
    print(f"  chunk loops: {_path(normalize._chunks, '_chunks', 'pure Python')}")
    print(f"  gate candidates: {_path(classify._gate_loops, '_gate', 'numpy')}")
    print(f"  {'stage':<22}{'CPU s':>8}{'wall s':>8}{'comments/s (CPU)':>18}")
    total_cpu = total_wall = 0.0
    for stage in STAGES:
        cpu = min(seconds[stage][0] for _, seconds in results)
        wall = min(seconds[stage][1] for _, seconds in results)
        total_cpu += cpu
        total_wall += wall
        print(f"  {stage:<22}{cpu:>8.3f}{wall:>8.3f}{rows / cpu if cpu else float('inf'):>18,.0f}")
    label = "sum of best stages"
    print(f"  {label:<22}{total_cpu:>8.3f}{total_wall:>8.3f}{rows / total_cpu:>18,.0f}")
    best_run = min(sum(cpu for cpu, _ in seconds.values()) for _, seconds in results)
    print(f"  best whole run: {best_run:.3f} s CPU, {rows / best_run:,.0f} comments/s on one core")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
