"""Count coded comments per month and flag months where a code rises far above its own past.

Spike test: a month's count of one code is compared with the previous ``window``
months of that code. Under a Poisson model with the mean of those months as rate,
the upper-tail probability P(X >= count) is computed; when the history varies more
than a Poisson allows (variance above ``dispersion`` times the mean) a negative
binomial with the same mean and variance is used instead, which widens the tail.
A month is a spike when p < ``alpha`` and the count is at least ``min_count``; the
defaults (0.01, 5, at least 3 months of history) keep a move from 1 to 3 comments
from being flagged. Months without comments count as zero.

NOTE: with ``normalize=True`` the expected count is the code's past share of all
comments times this month's total, always tested with Poisson; the share's own
over-dispersion is not modelled.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from netno.numbers import format_number

__all__ = [
    "FIELDS",
    "month_range",
    "monthly_counts",
    "monthly_table",
    "month_over_month",
    "poisson_upper_tail",
    "negative_binomial_upper_tail",
    "detect_spikes",
    "latest_spikes",
]

_LOGGER = logging.getLogger(__name__)

FIELDS = ("categories", "themes", "stages", "steps")

# Rate used when a code never appeared in its history: a zero rate would make any
# single comment infinitely surprising.
_FLOOR_RATE = 0.5
_SERIES_TOLERANCE = 1e-15
_MAX_TERMS = 100_000


SPIKE_RULE = (
    "sebuah bulan ditandai bila jumlahnya minimal 5 dan peluang mendapat jumlah setinggi itu "
    "menurut 6 bulan sebelumnya (Poisson, atau binomial negatif bila datanya sangat "
    "bervariasi) di bawah 1%."
)
"""The default spike rule of :func:`detect_spikes`, stated for users."""


class TrendError(ValueError):
    """The frame cannot be counted; the message (Indonesian) names the column and fix."""


def month_range(first: str, last: str) -> list[str]:
    """Return every month ``YYYY-MM`` from ``first`` to ``last`` inclusive."""
    periods = pd.period_range(pd.Period(first, "M"), pd.Period(last, "M"), freq="M")
    return [str(period) for period in periods]


def _check(frame: pd.DataFrame, field: str) -> None:
    if field not in FIELDS:
        raise TrendError(f"Bidang {field!r} tidak dikenal. Pilih salah satu: {', '.join(FIELDS)}.")
    missing = [column for column in ("month", field) if column not in frame.columns]
    if missing:
        raise TrendError(
            f"Data tidak memiliki kolom {', '.join(missing)}. Ambil data dengan "
            "Store.coded_frame(), yang menambahkan kolom month."
        )


def monthly_counts(
    frame: pd.DataFrame,
    *,
    field: str = "categories",
    codes: Sequence[str] | None = None,
    months: Sequence[str] | None = None,
    normalize: bool = False,
) -> pd.DataFrame:
    """Count comments per month and code, filling months and codes without comments with 0.

    Parameters:
        frame: a coded frame with ``month`` (from ``Store.coded_frame``).
        field: ``categories``, ``themes``, ``stages`` or ``steps``.
        codes: codes to report, in this order; default: every code that occurs.
        months: months to report; default: the first to the last month in ``frame``.
        normalize: add ``value`` as the share of that month's comments instead of
            the count.

    Returns:
        A long frame with ``month``, ``code``, ``count``, ``total`` (comments that
        month), ``share`` (count / total, 0 when total is 0) and ``value`` (count or
        share, as chosen). A comment with a code twice counts once.

    Raises:
        TrendError: ``field`` is unknown or a column is missing.
    """
    _check(frame, field)
    dated = frame[frame["month"].notna()]
    if months is None:
        months = month_range(dated["month"].min(), dated["month"].max()) if len(dated) else []
    months = list(months)

    exploded = pd.DataFrame({
        "month": dated["month"].to_numpy(),
        "code": [sorted(set(value)) if isinstance(value, list | tuple) else []
                 for value in dated[field]],
    }).explode("code").dropna(subset=["code"])
    if codes is None:
        codes = sorted(exploded["code"].unique())
    codes = list(codes)

    counted = exploded.groupby(["month", "code"]).size()
    totals = dated.groupby("month").size().reindex(months, fill_value=0)
    index = pd.MultiIndex.from_product([months, codes], names=["month", "code"])
    long = counted.reindex(index, fill_value=0).rename("count").reset_index()
    long["count"] = long["count"].astype("int64")
    long["total"] = long["month"].map(totals).fillna(0).astype("int64")
    long["share"] = [count / total if total else 0.0
                     for count, total in zip(long["count"], long["total"], strict=True)]
    long["value"] = long["share"] if normalize else long["count"].astype(float)
    return long


def monthly_table(
    frame: pd.DataFrame,
    *,
    field: str = "categories",
    codes: Sequence[str] | None = None,
    months: Sequence[str] | None = None,
    normalize: bool = False,
) -> pd.DataFrame:
    """Return :func:`monthly_counts` as a wide table: one row per month, one column per code."""
    long = monthly_counts(frame, field=field, codes=codes, months=months, normalize=normalize)
    column = "share" if normalize else "count"
    table = long.pivot(index="month", columns="code", values=column)
    if codes is not None:
        table = table.reindex(columns=list(codes))
    table.columns.name = None
    return table


def month_over_month(
    frame: pd.DataFrame,
    *,
    field: str = "categories",
    month: str | None = None,
    codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Compare each code's count in ``month`` (default: the latest) with the month before.

    Returns:
        One row per code with ``code``, ``count``, ``previous``, ``change`` and
        ``pct_change`` (percent; NaN when the previous month had none), sorted by
        change, largest rise first.
    """
    _check(frame, field)
    dated = frame[frame["month"].notna()]
    if month is None:
        if dated.empty:
            return pd.DataFrame(columns=["code", "count", "previous", "change", "pct_change"])
        month = str(dated["month"].max())
    previous = str(pd.Period(month, "M") - 1)
    long = monthly_counts(frame, field=field, codes=codes, months=[previous, month])
    table = long.pivot(index="code", columns="month", values="count")
    result = pd.DataFrame({
        "code": table.index,
        "count": table[month].to_numpy(),
        "previous": table[previous].to_numpy(),
    })
    result["change"] = result["count"] - result["previous"]
    result["pct_change"] = [
        100.0 * change / before if before else math.nan
        for change, before in zip(result["change"], result["previous"], strict=True)
    ]
    return result.sort_values(["change", "code"], ascending=[False, True]).reset_index(drop=True)


# --- tail probabilities --------------------------------------------------------------

def _tail_sum(first_log_term: float, ratio, start: int) -> float:
    """Sum exp(log term) from ``start`` on, where term(i+1) = term(i) * ratio(i)."""
    total = 0.0
    log_term = first_log_term
    for i in range(start, start + _MAX_TERMS):
        term = math.exp(log_term)
        total += term
        step = ratio(i)
        if step <= 0:
            break
        if term < total * _SERIES_TOLERANCE and step < 1:
            break
        log_term += math.log(step)
    return min(total, 1.0)


def poisson_upper_tail(count: int, mean: float) -> float:
    """Return P(X >= count) for X ~ Poisson(mean)."""
    if count <= 0:
        return 1.0
    if mean <= 0:
        return 0.0

    def log_pmf(k: int) -> float:
        return k * math.log(mean) - mean - math.lgamma(k + 1)

    if count <= mean:
        # The tail is at least about one half here, so 1 - CDF loses no precision.
        below = sum(math.exp(log_pmf(k)) for k in range(count))
        return max(0.0, min(1.0, 1.0 - below))
    # Beyond the mean the terms shrink, so summing the tail directly keeps tiny
    # probabilities exact where 1 - CDF would round to zero.
    return _tail_sum(log_pmf(count), lambda i: mean / (i + 1), count)


def negative_binomial_upper_tail(count: int, mean: float, variance: float) -> float:
    """Return P(X >= count) for a negative binomial with this mean and variance.

    Falls back to Poisson when ``variance <= mean`` (no over-dispersion).
    """
    if variance <= mean:
        return poisson_upper_tail(count, mean)
    if count <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    size = mean * mean / (variance - mean)
    success = size / (size + mean)
    failure = 1.0 - success

    def log_pmf(k: int) -> float:
        return (math.lgamma(k + size) - math.lgamma(size) - math.lgamma(k + 1)
                + size * math.log(success) + k * math.log(failure))

    def ratio(k: int) -> float:
        return (k + size) / (k + 1) * failure

    if count <= mean:
        below = sum(math.exp(log_pmf(k)) for k in range(count))
        return max(0.0, min(1.0, 1.0 - below))
    return _tail_sum(log_pmf(count), ratio, count)


# --- spikes --------------------------------------------------------------------------

def _number(value: float, digits: int = 1) -> str:
    return format_number(value, decimals=digits)


def _p_text(p_value: float) -> str:
    if p_value < 0.0001:
        return "p < 0,0001"
    return f"p = {_number(p_value, 4)}"


def _explain(
    *, name: str, month: str, count: int, expected: float, history: int, p_value: float,
    model: str, spike: bool, min_count: int, alpha: float, normalize: bool,
) -> str:
    if normalize:
        basis = f"perkiraan {_number(expected)} menurut porsinya dalam {history} bulan sebelumnya"
    else:
        basis = f"rata-rata {history} bulan sebelumnya {_number(expected)} per bulan"
    counted = f"{format_number(count)} komentar pada {month}"
    if spike:
        return (f"Lonjakan {name}: {counted}, jauh di atas {basis} "
                f"({_p_text(p_value)}, model {model}).")
    if count < min_count and p_value < alpha:
        return (f"Bukan lonjakan {name}: {counted}, di bawah batas "
                f"{min_count} komentar ({basis}; {_p_text(p_value)}).")
    return (f"Bukan lonjakan {name}: {counted}, masih sejalan dengan "
            f"{basis} ({_p_text(p_value)}, model {model}).")


def detect_spikes(
    frame: pd.DataFrame,
    *,
    field: str = "categories",
    codes: Sequence[str] | None = None,
    window: int = 6,
    alpha: float = 0.01,
    min_count: int = 5,
    min_history: int = 3,
    dispersion: float = 1.5,
    normalize: bool = False,
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Test every code in every month against its own previous ``window`` months.

    Parameters:
        frame: a coded frame with ``month``.
        window: months of history to compare with (fewer at the start).
        alpha: a month is a spike when its upper-tail probability is below this.
        min_count: a month needs at least this many comments to be a spike.
        min_history: months of history needed before a month is tested.
        dispersion: history variance above this times its mean switches the model
            from Poisson to negative binomial.
        normalize: compare against the code's past share of all comments.
        labels: the name of each code in the explanations (such as the codebook's
            Indonesian labels); a code without one is named by its code.

    Returns:
        One row per code and month with ``code``, ``month``, ``count``, ``total``,
        ``history`` (months used), ``expected``, ``variance``, ``model``
        (``Poisson`` or ``binomial negatif``, None when untested), ``p_value``
        (NaN when untested), ``spike`` (bool) and ``explanation`` (one Indonesian
        sentence with the numbers).

    Raises:
        TrendError: ``field`` is unknown, a column is missing, or an option is out
            of range.
    """
    if window < 1 or min_history < 1 or not 0 < alpha < 1:
        raise TrendError(
            f"Pengaturan lonjakan tidak sah (window={window}, min_history={min_history}, "
            f"alpha={alpha}). Gunakan window dan min_history minimal 1, alpha antara 0 dan 1."
        )
    labels = labels or {}
    long = monthly_counts(frame, field=field, codes=codes)
    records: list[dict] = []
    for code, group in long.groupby("code", sort=False):
        records.extend(_spikes_of_code(
            str(code), labels.get(str(code), str(code)), group["month"].tolist(),
            group["count"].tolist(), group["total"].tolist(), window=window, alpha=alpha,
            min_count=min_count, min_history=min_history, dispersion=dispersion,
            normalize=normalize,
        ))
    result = pd.DataFrame.from_records(records, columns=[
        "code", "month", "count", "total", "history", "expected", "variance", "model",
        "p_value", "spike", "explanation",
    ])
    result["spike"] = result["spike"].astype(bool)
    _LOGGER.info("spike test on %s: %d code-months, %d spikes", field, len(result),
                 int(result["spike"].sum()))
    return result


def _spikes_of_code(
    code: str, name: str, months: list[str], counts: list[int], totals: list[int], *, window: int,
    alpha: float, min_count: int, min_history: int, dispersion: float, normalize: bool,
) -> Iterable[dict]:
    for index, (month, count) in enumerate(zip(months, counts, strict=True)):
        past = counts[max(0, index - window):index]
        past_totals = totals[max(0, index - window):index]
        record = {
            "code": code, "month": month, "count": int(count), "total": int(totals[index]),
            "history": len(past), "expected": math.nan, "variance": math.nan, "model": None,
            "p_value": math.nan, "spike": False,
        }
        if len(past) < min_history:
            record["explanation"] = (
                f"{name} pada {month} belum diuji: riwayatnya baru {len(past)} bulan, "
                f"perlu minimal {min_history} bulan."
            )
            yield record
            continue

        mean = sum(past) / len(past)
        variance = (sum((value - mean) ** 2 for value in past) / (len(past) - 1)
                    if len(past) > 1 else mean)
        if normalize:
            share = sum(past) / sum(past_totals) if sum(past_totals) else 0.0
            expected = max(share * totals[index], _FLOOR_RATE)
            model = "Poisson"
            p_value = poisson_upper_tail(int(count), expected)
        else:
            expected = max(mean, _FLOOR_RATE)
            if mean > 0 and variance > dispersion * mean:
                model = "binomial negatif"
                p_value = negative_binomial_upper_tail(int(count), expected, variance)
            else:
                model = "Poisson"
                p_value = poisson_upper_tail(int(count), expected)
        spike = p_value < alpha and count >= min_count
        record.update(expected=expected, variance=variance, model=model, p_value=p_value,
                      spike=spike)
        record["explanation"] = _explain(
            name=name, month=month, count=int(count), expected=expected, history=len(past),
            p_value=p_value, model=model, spike=spike, min_count=min_count, alpha=alpha,
            normalize=normalize,
        )
        yield record


def latest_spikes(frame: pd.DataFrame, *, field: str = "categories", **options) -> pd.DataFrame:
    """Return the spikes of the latest month only, largest count first.

    ``options`` are passed to :func:`detect_spikes`.
    """
    spikes = detect_spikes(frame, field=field, **options)
    if spikes.empty:
        return spikes
    latest = spikes["month"].max()
    found = spikes[(spikes["month"] == latest) & spikes["spike"]]
    return found.sort_values("count", ascending=False).reset_index(drop=True)


def flagged_spikes(frame: pd.DataFrame, *, field: str = "categories", **options) -> pd.DataFrame:
    """Return every month flagged as a spike, newest month first.

    ``options`` are passed to :func:`detect_spikes`.
    """
    spikes = detect_spikes(frame, field=field, **options)
    found = spikes[spikes["spike"]]
    return found.sort_values(["month", "count"], ascending=[False, False]).reset_index(drop=True)
