"""Time word frequency over a comment file replicated to a fixed number of rows.

Usage: python benchmarks/bench_wordfreq.py CSV [--rows 100000] [--repeat 3] [--group variants]

The first run starts with cold caches (slang, stemmer); later runs show the warm time
a dashboard user sees after the first query.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from netno.wordfreq import GROUPINGS, WordQuery, word_frequency  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path, help="CSV file with a 'text' column")
    parser.add_argument("--rows", type=int, default=100_000, help="comments to count")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs")
    parser.add_argument("--group", choices=GROUPINGS, default="variants")
    parser.add_argument("--ngram", type=int, choices=(1, 2, 3), default=1)
    arguments = parser.parse_args()

    texts = pd.read_csv(arguments.csv)["text"].astype("string").fillna("").tolist()
    copies = -(-arguments.rows // len(texts))
    texts = (texts * copies)[: arguments.rows]
    query = WordQuery(grouping=arguments.group, ngram=arguments.ngram)
    print(f"{len(texts)} comments, grouping={arguments.group}, ngram={arguments.ngram}")

    for run in range(1, arguments.repeat + 1):
        started = time.perf_counter()
        result = word_frequency(texts, query)
        elapsed = time.perf_counter() - started
        print(f"run {run}: {elapsed:.2f} s, {result.total_counted} words counted, "
              f"top term {result.terms.iloc[0]['term']!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
