"""Tests for loading and validating the codebook."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from netno.codebook import CodebookError, default_codebook, load_codebook, parse_codebook

CATEGORY_CODES = [
    "kuota",
    "server_error",
    "status_pembayaran",
    "request_timeout",
    "kadaluwarsa",
    "langkah_7",
    "loading",
    "download_pdf",
    "kode_billing",
    "force_closed",
    "maintenance",
    "reapply",
    "kode_otp",
    "reschedule",
]
STEP_CODES = [
    "buka_aplikasi",
    "login",
    "registrasi",
    "isi_formulir",
    "pilih_jadwal",
    "submit_permohonan",
    "pembayaran",
    "unduh_pdf",
]


def default_text() -> str:
    return resources.files("netno").joinpath("codebook.toml").read_text(encoding="utf-8")


def replaced(old: str, new: str) -> str:
    text = default_text()
    assert old in text, old
    return text.replace(old, new, 1)


def test_codebook_default_codes() -> None:
    book = default_codebook()
    assert list(book.themes) == ["aksesibilitas", "pengajuan", "pembayaran"]
    assert list(book.stages) == ["present", "interact", "transact", "integration"]
    assert [stage.order for stage in book.stages.values()] == [0, 1, 2, 3]
    assert sorted(book.categories) == sorted(CATEGORY_CODES)
    assert list(book.steps) == STEP_CODES
    assert list(book.intents) == ["keluhan", "pertanyaan", "apresiasi", "lainnya"]


def test_codebook_categories_complete() -> None:
    book = default_codebook()
    for category in book.categories.values():
        assert category.label
        assert category.description
        assert category.action
        assert category.unit
        assert category.theme in book.themes
        assert category.stage in book.stages
        assert category.patterns


def test_codebook_stage_placement() -> None:
    book = default_codebook()
    assert book.categories["kuota"].stage == "present"
    assert book.categories["langkah_7"].stage == "interact"
    assert book.categories["kadaluwarsa"].stage == "transact"
    assert book.categories["reschedule"].stage == "integration"
    assert book.stages["transact"].weight > book.stages["present"].weight


def test_codebook_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "codebook.toml"
    path.write_text(default_text(), encoding="utf-8")
    loaded = load_codebook(path)
    book = default_codebook()
    assert loaded.version == book.version
    assert list(loaded.categories) == list(book.categories)
    assert loaded.categories["kuota"].patterns == book.categories["kuota"].patterns
    assert loaded.context.negation_before == book.context.negation_before


def test_codebook_version_follows_content() -> None:
    changed = parse_codebook(replaced('version = "2"', 'version = "2"\n# changed'))
    assert changed.version != default_codebook().version
    assert changed.version.startswith("2+")


def test_codebook_macros_expanded() -> None:
    kode_otp = default_codebook().categories["kode_otp"]
    assert all("{NOT}" not in pattern.pattern for pattern in kode_otp.patterns)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('theme = "pembayaran"', 'theme = "biaya"', "kategori 'status_pembayaran'.*tema 'biaya'"),
        ('stage = "present"', 'stage = "informasi"', "kategori 'kuota'.*tahap 'informasi'"),
        ('code = "loading"', 'code = "kuota"', "kategori 'kuota'.*kode ganda"),
        ('code = "login"', 'code = "buka_aplikasi"', "langkah 'buka_aplikasi'.*kode ganda"),
        ("ketujuh\\b'", "ketujuh('", "langkah_7.*bukan regex yang valid"),
        ("'\\bmaintenance\\b', '\\bpemeliharaan\\b'", "'{MAINT}'", "makro \\{MAINT\\}"),
        ('yield_to = ["loading"', 'yield_to = ["lambat"', "yield_to menyebut 'lambat'"),
        ('steps = ["pilih_jadwal"]', 'steps = ["jadwal"]', "langkah 'jadwal'"),
        ('code = "lainnya"', 'code = "lain"', "intent lainnya tidak ada"),
        ("[context]", "[context]\nnegasi = []", "kunci negasi tidak dikenal"),
    ],
)
def test_codebook_rejects_invalid_entry(old: str, new: str, message: str) -> None:
    with pytest.raises(CodebookError, match=message):
        parse_codebook(replaced(old, new))


def test_codebook_rejects_invalid_toml() -> None:
    with pytest.raises(CodebookError, match="TOML tidak valid"):
        parse_codebook("name = ")


def test_codebook_rejects_missing_table() -> None:
    text = default_text().replace("[[intents]]", "[[intent_lama]]")
    with pytest.raises(CodebookError, match=r"\[\[intents\]\]"):
        parse_codebook(text)


def test_codebook_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CodebookError, match="tidak bisa dibaca"):
        load_codebook(tmp_path / "tidak-ada.toml")
