"""Tests for netno.numbers: Indonesian number, percentage and change formatting."""

from __future__ import annotations

import math

import pandas as pd

from netno.numbers import format_change, format_columns, format_number, format_percent


def test_format_number_uses_indonesian_separators():
    assert format_number(1234567) == "1.234.567"
    assert format_number(12.345, decimals=2) == "12,35"
    assert format_number(-1234.5, decimals=1) == "-1.234,5"


def test_format_number_trims_zeros_on_request():
    assert format_number(1.50, decimals=2, trim=True) == "1,5"
    assert format_number(2.0, decimals=2, trim=True) == "2"
    assert format_number(2.0, decimals=2) == "2,00"


def test_format_number_missing_value_is_dash():
    assert format_number(None) == "-"
    assert format_number(math.nan) == "-"


def test_format_percent_decimal_comma():
    assert format_percent(25.5) == "25,5%"
    assert format_percent(None) == "-"


def test_format_change_sign_new_and_missing():
    assert format_change(50.0) == "+50%"
    assert format_change(-12.4) == "-12%"
    assert format_change(0.2) == "0%"
    assert format_change(1250.0) == "+1.250%"
    assert format_change(math.nan, new=True) == "baru"
    assert format_change(math.nan) == "-"


def test_format_columns_formats_only_named_columns():
    table = pd.DataFrame({"Jumlah": [12951, 3], "Porsi": [25.5, 333.33], "Nama": ["a", "b"]})

    shown = format_columns(table, {"Jumlah": 0, "Porsi": 1, "Tidak ada": 2})

    assert shown["Jumlah"].tolist() == ["12.951", "3"]
    assert shown["Porsi"].tolist() == ["25,5", "333,3"]
    assert shown["Nama"].tolist() == ["a", "b"]
    assert table["Jumlah"].tolist() == [12951, 3]
