"""Tests for netno.upload_privacy: what the upload preview shows of a raw export."""

from __future__ import annotations

import pandas as pd
import pytest

from netno.ingest import preview
from netno.upload_privacy import (
    CONTACT_COLUMN_WORDS,
    contact_columns,
    hide_mentions,
    masked_column_names,
    masked_preview,
)

# An invented export with the sender, handle and address beside each comment.
CONTACT_CSV = (
    "komentar,tanggal,pengirim,ig,alamat,paspor 081299990000\n"
    "kak @dewi.lestari_ antrian lama; wa saya 081234567890,2024-03-01,Dewi Lestari,"
    "@dewi.lestari_,Jl. Kenanga 7 Karawang,ada\n"
    "bayar sudah tapi status belum berubah,2024-03-02,Rudi Hartono,@rudi_h,Jl. Melati 2,tidak\n"
)
RAW_VALUES = [
    "Dewi Lestari", "Rudi Hartono", "dewi.lestari", "rudi_h", "Kenanga", "Melati",
    "081234567890", "081299990000",
]


@pytest.mark.parametrize(
    ("column", "hidden"),
    [
        ("pengirim", True),
        ("Nama Pengirim", True),
        ("IG", True),
        ("akun_instagram", True),
        ("alamat rumah", True),
        ("E-mail", True),
        ("surel", True),
        ("no_hp", True),
        ("Telepon/WA", True),
        ("NIK", True),
        ("foto_ktp", True),
        ("komentar", False),
        ("whatsappish", False),
        ("nikmat", False),
        ("tanggal", False),
        ("hpku", False),
    ],
)
def test_contact_columns_match_whole_words(column: str, hidden: bool) -> None:
    assert (contact_columns([column]) == [column]) is hidden


def test_contact_columns_word_list_all_match() -> None:
    assert contact_columns(CONTACT_COLUMN_WORDS) == list(CONTACT_COLUMN_WORDS)


def test_hide_mentions_keeps_email_for_mask() -> None:
    text = "tolong @admin.kanim_ cek, saya @budi_s; surel budi@contoh.id"

    hidden = hide_mentions(text)

    assert hidden == "tolong @… cek, saya @…; surel budi@contoh.id"


def test_masked_column_names_masks_and_stays_unique() -> None:
    names = masked_column_names(["komentar", "hp 081234561234", "hp 081299991234"])

    assert names[0] == "komentar"
    assert names[1] == "hp 08xxxxxx1234"
    assert names[2] == "hp 08xxxxxx1234 (2)"


def test_masked_preview_hides_contact_columns_and_mentions() -> None:
    detected = preview(CONTACT_CSV.encode(), "kontak.csv")

    masked = masked_preview(detected.frame, author=detected.guess.author)
    table = masked.to_string()

    for value in RAW_VALUES:
        assert value not in table, value
    assert "paspor 08xxxxxx0000" in masked.columns
    assert masked["pengirim"].tolist() == ["(disamarkan)", "(disamarkan)"]
    assert masked["alamat"].tolist() == ["(disamarkan)", "(disamarkan)"]
    assert masked["komentar"][0] == "kak @… antrian lama; wa saya 08xxxxxx7890"
    assert masked["tanggal"].tolist() == ["2024-03-01", "2024-03-02"]


def test_masked_preview_leaves_input_unchanged() -> None:
    frame = pd.DataFrame({"komentar": ["hai @rudi_h"], "wa 081234567890": ["x"]})

    masked_preview(frame)

    assert frame["komentar"][0] == "hai @rudi_h"
    assert list(frame.columns) == ["komentar", "wa 081234567890"]


def test_masked_preview_masks_string_dtype_columns() -> None:
    frame = pd.DataFrame({"komentar": pd.Series(["hai @rudi_h, 081234567890"], dtype="string")})

    masked = masked_preview(frame)

    assert masked["komentar"][0] == "hai @…, 08xxxxxx7890"
