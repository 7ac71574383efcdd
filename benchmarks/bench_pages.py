"""Time the netno functions behind the dashboard's analysis pages on a large coded frame.

Usage: python benchmarks/bench_pages.py CSV [--copies 16] [--cache /tmp/netno_coded.pkl]

The export file is coded once with ``netno.pipeline.code_files`` (the coded frame is
kept in ``--cache`` for later runs), then concatenated ``--copies`` times, each copy
shifted by a year-multiple of months so that the months stay distinct. The timings
are of the library calls only, not of Streamlit's rendering.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from netno import priority, summary, trends  # noqa: E402
from netno.codebook import default_codebook  # noqa: E402
from netno.ingest import JAKARTA  # noqa: E402
from netno.wordfreq import WordQuery, word_frequency  # noqa: E402


def _coded_once(csv: Path, cache: Path) -> pd.DataFrame:
    if cache.exists():
        return pd.read_pickle(cache)
    from netno.pipeline import code_files

    started = time.perf_counter()
    coded = code_files([csv])
    print(f"coded {len(coded)} comments in {time.perf_counter() - started:.1f} s")
    coded.to_pickle(cache)
    return coded


def _replicate(coded: pd.DataFrame, copies: int) -> pd.DataFrame:
    """Concatenate ``copies`` of ``coded``, each shifted a further 3 years later."""
    frames = []
    for copy in range(copies):
        shifted = coded.copy()
        shifted["created_at"] = shifted["created_at"] + pd.DateOffset(years=3 * copy)
        frames.append(shifted)
    frame = pd.concat(frames, ignore_index=True)
    local = frame["created_at"].dt.tz_convert(JAKARTA)
    frame["month"] = local.dt.strftime("%Y-%m").astype(object)
    frame["day"] = local.dt.date
    frame["comment_id"] = range(1, len(frame) + 1)
    return frame


def _time(name: str, call: Callable[[], Any], results: dict[str, float]) -> Any:
    started = time.perf_counter()
    value = call()
    results[name] = time.perf_counter() - started
    print(f"{name:<45} {results[name]:7.2f} s")
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path, help="export file to code (CSV, XLSX or JSON)")
    parser.add_argument("--copies", type=int, default=16, help="copies of the coded frame")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/netno_bench_coded.pkl"),
                        help="pickle of the coded file, reused on later runs")
    arguments = parser.parse_args()

    book = default_codebook()
    frame = _replicate(_coded_once(arguments.csv, arguments.cache), arguments.copies)
    months = summary.months_in(frame)
    period = months[-2]
    print(f"{len(frame)} comments, {len(months)} months, scored period {period}")

    results: dict[str, float] = {}
    # Beranda
    _time("summary.headline", lambda: summary.headline(frame, book), results)
    _time("summary.category_counts", lambda: summary.category_counts(frame, book), results)
    _time("trends.latest_spikes", lambda: trends.latest_spikes(frame), results)
    # Hierarki kendala, Tahap kematangan, Daftar komentar
    _time("summary.hierarchy_counts", lambda: summary.hierarchy_counts(frame, book), results)
    _time("summary.stage_counts", lambda: summary.stage_counts(frame, book), results)
    _time(
        "summary.comments_matching",
        lambda: summary.comments_matching(frame, category="loading"),
        results,
    )
    _time(
        "summary.comment_rows (500 rows)",
        lambda: summary.comment_rows(frame, book, limit=500),
        results,
    )
    # Tren
    _time("trends.flagged_spikes", lambda: trends.flagged_spikes(frame), results)
    _time(
        "trends.month_over_month",
        lambda: trends.month_over_month(frame, month=period),
        results,
    )
    # Rekomendasi prioritas, all periods and one month
    for label, chosen in (("all", None), ("month", period)):
        previous = priority.previous_month(chosen) if chosen else None
        scores = _time(
            f"priority.score_categories ({label})",
            lambda chosen=chosen, previous=previous: priority.score_categories(
                frame, codebook=book, period=chosen, previous=previous
            ),
            results,
        )
        _time(
            f"priority.build_recommendations ({label})",
            lambda chosen=chosen, scores=scores: priority.build_recommendations(
                frame, scores, codebook=book, period=chosen
            ),
            results,
        )
    # Frekuensi kata
    _time("wordfreq.word_frequency", lambda: word_frequency(frame["text"], WordQuery()), results)

    # ru_maxrss is in kilobytes on Linux.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'total':<45} {sum(results.values()):7.2f} s, peak resident memory {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
