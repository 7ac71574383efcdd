"""Format numbers the Indonesian way for tables, charts and sentences shown to users."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

__all__ = [
    "PLOTLY_SEPARATORS",
    "format_number",
    "format_percent",
    "format_change",
    "format_columns",
]

# Plotly's layout ``separators``: the decimal mark, then the thousands separator. Plotly
# applies it to axis ticks, hover values and d3 formats such as ``%{x:,.1f}``.
PLOTLY_SEPARATORS = ",."


def format_number(value: float | None, *, decimals: int = 0, trim: bool = False) -> str:
    """Format ``value`` with "." between thousands and "," before the decimals.

    ``trim`` drops trailing zeros of the decimals (``1,50`` becomes ``1,5``). A missing
    value (None or NaN) gives "-".
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    text = f"{value:,.{decimals}f}"
    if decimals and trim:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_percent(value: float | None, *, decimals: int = 1) -> str:
    """Format a percentage (already multiplied by 100) as ``25,5%``; a missing value gives "-"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{format_number(value, decimals=decimals)}%"


def format_change(value: float | None, *, new: bool = False) -> str:
    """Format a percentage change as ``+50%``, ``-12%`` or ``0%``.

    A missing change (None or NaN) gives "baru" (new) when ``new`` is true, meaning
    the thing did not occur in the period before, and "-" otherwise.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "baru" if new else "-"
    rounded = round(value)
    sign = "+" if rounded > 0 else ""
    return f"{sign}{format_number(rounded, decimals=0)}%"


def format_columns(table: pd.DataFrame, decimals: Mapping[str, int]) -> pd.DataFrame:
    """Return a copy of ``table`` whose named number columns are Indonesian-formatted text.

    ``decimals`` maps a column name to its number of decimals; columns not in ``table``
    are ignored. Use it for display-only tables.

    NOTE: Streamlit 1.67's ``NumberColumn`` offers only the browser's locale or
    printf formats (decimal point), so text is the only way to show a decimal comma.
    Sorting such a column by clicking its header then sorts as text.
    """
    formatted = table.copy()
    for column, places in decimals.items():
        if column in formatted.columns:
            formatted[column] = [
                format_number(None if pd.isna(value) else float(value), decimals=places)
                for value in formatted[column]
            ]
    return formatted
