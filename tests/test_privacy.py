"""Tests for netno.privacy: pseudonyms, the secret key, masking and formula defusing."""

from __future__ import annotations

import re
import stat
import sys

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netno import privacy
from netno.privacy import (
    SecretKeyError,
    load_secret,
    mask_text,
    neutralize_formula,
    neutralize_frame,
    protect_frame,
    pseudonym,
)

SECRET = b"kunci-uji-yang-cukup-panjang-0123"


# --------------------------------------------------------------------------- pseudonyms

def test_pseudonym_stable_and_shaped():
    first = pseudonym("budi_santoso", SECRET)
    assert first == pseudonym("budi_santoso", SECRET)
    assert re.fullmatch(r"pengguna-[0-9a-f]{8}", first)


def test_pseudonym_ignores_case_and_at_sign():
    assert pseudonym("@Budi_Santoso ", SECRET) == pseudonym("budi_santoso", SECRET)


def test_pseudonym_depends_on_secret():
    assert pseudonym("budi", SECRET) != pseudonym("budi", b"kunci-lain-yang-juga-panjang!!")


def test_pseudonym_differs_between_users():
    assert pseudonym("budi", SECRET) != pseudonym("sari", SECRET)


# --------------------------------------------------------------------------- secret key

def test_load_secret_creates_file_once(tmp_path, monkeypatch):
    monkeypatch.delenv("NETNO_SECRET_KEY", raising=False)
    path = tmp_path / "data" / "secret_key"
    first = load_secret(path)
    assert len(first) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_secret(path) == first


def test_load_secret_short_hex_text_is_text(tmp_path, monkeypatch):
    monkeypatch.setenv("NETNO_SECRET_KEY", "abcdefabcdefabcd")

    assert load_secret(tmp_path / "secret_key") == b"abcdefabcdefabcd"


def test_load_secret_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("NETNO_SECRET_KEY", "ab" * 32)
    path = tmp_path / "secret_key"
    assert load_secret(path) == bytes.fromhex("ab" * 32)
    assert not path.exists()


def test_load_secret_short_environment_value(monkeypatch):
    monkeypatch.setenv("NETNO_SECRET_KEY", "pendek")
    with pytest.raises(SecretKeyError, match="terlalu pendek"):
        load_secret()


def test_load_secret_damaged_file(tmp_path, monkeypatch):
    monkeypatch.delenv("NETNO_SECRET_KEY", raising=False)
    path = tmp_path / "secret_key"
    path.write_bytes(b"abc")
    with pytest.raises(SecretKeyError, match="rusak"):
        load_secret(path)


# --------------------------------------------------------------------------- masking

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("WA saya 0812-3456-7890 min", "WA saya 08xx-xxxx-7890 min"),
        ("hubungi 0812 3456 7890", "hubungi 08xx xxxx 7890"),
        ("nomor 081234567890", "nomor 08xxxxxx7890"),
        ("call +62 812 3456 7890", "call +62 8xx xxxx 7890"),
        ("wa 62812.3456.789", "wa 628xx.xxx6.789"),
        ("hp 0857-1234-5678 2024 kemarin", "hp 08xx-xxxx-5678 2024 kemarin"),
    ],
)
def test_mask_text_phone_numbers(text, expected):
    assert mask_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("email saya budi.santoso@gmail.com ya", "email saya b***@g***.com ya"),
        ("kirim ke rina+paspor@mail.co.id", "kirim ke r***@m***.co.id"),
    ],
)
def test_mask_text_email(text, expected):
    assert mask_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The second address's local part is the first one's domain.
        ("dewi@kantor.id@surel.id", "d***@k***@s***.id"),
        ("7@3.5@3.5", "7***@3***@3***.5"),
        # An address glued to the first by "+" or by a dot.
        ("joko@a.id+tono@b.id", "j***@a***@b***.id"),
        ("joko@a.id.@b.id", "j***@a***@b***.id"),
        # A sentence's full stop stays after the suffix.
        ("balas ke tono@surel.co.id.", "balas ke t***@s***.co.id."),
    ],
)
def test_mask_text_email_chain(text, expected):
    assert mask_text(text) == expected
    assert mask_text(expected) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NIK 3215012345678901 ditolak", "NIK xxxxxxxxxxxx8901 ditolak"),
        ("nik 3215 0123 4567 8901", "nik xxxx xxxx xxxx 8901"),
        ("nik 3215-0123-4567-8901", "nik xxxx-xxxx-xxxx-8901"),
    ],
)
def test_mask_text_nik(text, expected):
    assert mask_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("paspor lama X1234567 hilang", "paspor lama Xxxxx567 hilang"),
        ("no paspor AB1234567", "no paspor ABxxxx567"),
        ("paspor E 1234567", "paspor E xxxx567"),
    ],
)
def test_mask_text_passport(text, expected):
    assert mask_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kode billing 820240312345678 belum aktif", "kode billing xxxxxxxxxxx5678 belum aktif"),
        ("kode bayar: 8202403123456789", "kode bayar: xxxxxxxxxxxx6789"),
        ("no. permohonan 202403120001234", "no. permohonan xxxxxxxxxxx1234"),
        ("permohonan nomor 1234 5678 9012 345", "permohonan nomor xxxx xxxx xxx2 345"),
    ],
)
def test_mask_text_billing_and_application_numbers(text, expected):
    assert mask_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "datang tanggal 12/03/2024 jam 08.30",
        "jadwal 2024-03-12 08:30:00",
        "jam 08.00 - 09.30 WIB",
        "biaya Rp 350.000 atau 350rb, ada yang 350k",
        "paspor elektronik Rp 650.000,-",
        "sudah sampai langkah 7, step ke-7",
        "coba 3x, nunggu 30 menit",
        "update versi 2.1.3 masih error",
        "antrean nomor 125 dari 300",
        "tahun 2023 dan 2024",
        "kuota 15 orang per hari",
    ],
)
def test_mask_text_leaves_non_personal_numbers(text):
    assert mask_text(text) == text


def test_mask_text_long_digit_run_without_context():
    masked = mask_text("ref 123456789012345678901")
    assert masked == "ref xxxxxxxxxxxxxxxxx8901"
    assert not re.search(r"\d{16}", masked)


def test_mask_text_idempotent_on_examples():
    text = "0812-3456-7890, budi@gmail.com, NIK 3215012345678901, paspor AB1234567"
    once = mask_text(text)
    assert mask_text(once) == once


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wa (0812) 3456-7890", "wa (08xx) xxxx-7890"),
        ("(+62) 812-3456-7890", "(+62) 8xx-xxxx-7890"),
        ("+62 (812) 3456 7890", "+62 (8xx) xxxx 7890"),
        ("hp 0812\u00a03456\u00a07890", "hp 08xx\u00a0xxxx\u00a07890"),
        ("hp 0812\u20093456\u20097890", "hp 08xx\u2009xxxx\u20097890"),
        ("hp 0812\n3456\n7890", "hp 08xx\nxxxx\n7890"),
        ("hp 0812\u00ad3456\u00ad7890", "hp 08xx\u00adxxxx\u00ad7890"),
        ("hp 0812_3456_7890", "hp 08xx_xxxx_7890"),
        ("hp 0812\u200b3456\u200b7890", "hp 08xx\u200bxxxx\u200b7890"),
        ("hp 0812/3456/7890", "hp 08xx/xxxx/7890"),
        ("hp 0812\u20133456\u20147890", "hp 08xx\u2013xxxx\u20147890"),
        ("wa 08 12 34 56 78 90", "wa 08 xx xx xx 78 90"),
        ("wa 0 8 1 2 3 4 5 6 7 8 9 0", "wa 0 8 x x x x x x 7 8 9 0"),
        ("nomorku081234567890ya", "nomorku08xxxxxx7890ya"),
        ("wa 6281234567890", "wa 628xxxxxx7890"),
    ],
)
def test_mask_text_phone_separators(text, expected):
    assert mask_text(text) == expected
    assert mask_text(expected) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A following year or a second phone number is not swallowed.
        ("hp 0812 3456 7890 2024", "hp 08xx xxxx 7890 2024"),
        ("0812 3456 7890 0813 4567 8901", "08xx xxxx 7890 08xx xxxx 8901"),
        # A time or date before the number is not read as its start.
        ("jam 08.30 0812 3456 7890", "jam 08.30 08xx xxxx 7890"),
        ("tgl 08/08/2023 0812 3456 7890", "tgl 08/08/2023 08xx xxxx 7890"),
    ],
)
def test_mask_text_phone_boundaries(text, expected):
    assert mask_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "tgl 08/08/2023 08.30 datang",
        "nilai 0.81 0.92 0.73 0.64",
        "jadwal 08.00-09.30 lalu 10.00",
        "biaya Rp 350.000 atau 62.800.000",
    ],
)
def test_mask_text_phone_leaves_times_and_prices(text):
    assert mask_text(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\uff10\uff18\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff10",
         "\uff10\uff18xxxxxx\uff17\uff18\uff19\uff10"),
        ("wa \u0660\u0668\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660",
         "wa \u0660\u0668xxxxxx\u0667\u0668\u0669\u0660"),
        ("wa \u06f0\u06f8\u06f1\u06f2-\u06f3\u06f4\u06f5\u06f6-\u06f7\u06f8\u06f9\u06f0",
         "wa \u06f0\u06f8xx-xxxx-\u06f7\u06f8\u06f9\u06f0"),
        ("wa \u09e6\u09ee\u09e7\u09e8 \u09e9\u09ea\u09eb\u09ec \u09ed\u09ee\u09ef\u09e6",
         "wa \u09e6\u09eexx xxxx \u09ed\u09ee\u09ef\u09e6"),
        ("wa \U0001d7ce\U0001d7d6\U0001d7cf\U0001d7d0\U0001d7d1\U0001d7d2\U0001d7d3"
         "\U0001d7d4\U0001d7d5\U0001d7d6\U0001d7d7\U0001d7ce",
         "wa \U0001d7ce\U0001d7d6xxxxxx\U0001d7d5\U0001d7d6\U0001d7d7\U0001d7ce"),
        # Full-width separators are read like their ASCII forms.
        ("\uff10\uff18\uff11\uff12\uff0d\uff13\uff14\uff15\uff16\uff0d"
         "\uff17\uff18\uff19\uff10",
         "\uff10\uff18xx\uff0dxxxx\uff0d\uff17\uff18\uff19\uff10"),
        ("paspor \uff21\uff11\uff12\uff13\uff14\uff15\uff16\uff17",
         "paspor \uff21xxxx\uff15\uff16\uff17"),
        # Digits of two scripts in one number.
        ("wa 08\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660",
         "wa 08xxxxxx\u0667\u0668\u0669\u0660"),
    ],
)
def test_mask_text_phone_in_other_scripts(text, expected):
    assert mask_text(text) == expected
    assert mask_text(expected) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kode billing saya adalah 820240312345678",
         "kode billing saya adalah xxxxxxxxxxx5678"),
        ("kode billing sudah dibayar (820240312345678)",
         "kode billing sudah dibayar (xxxxxxxxxxx5678)"),
        ("ini 8202403123 kode billing saya", "ini xxxxxx3123 kode billing saya"),
        ("nomor va 88081234567890", "nomor va xxxxxxxxxx7890"),
        ("bayar ke virtual account 8808123456", "bayar ke virtual account xxxxxx3456"),
        ("no rek 1234567890", "no rek xxxxxx7890"),
        ("rekening saya di bank abc 1234567890", "rekening saya di bank abc xxxxxx7890"),
        ("nomor permohonan saya 1234567890123", "nomor permohonan saya xxxxxxxxx0123"),
        # A phone number a few words after the keyword keeps the phone shape.
        ("billing gagal, hubungi 081234567890", "billing gagal, hubungi 08xxxxxx7890"),
    ],
)
def test_mask_text_code_near_keyword(text, expected):
    assert mask_text(text) == expected
    assert mask_text(expected) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ini 820240312345678 kode billing saya", "ini xxxxxxxxxxx5678 kode billing saya"),
        ("ref 1234567890123 ya", "ref xxxxxxxxx0123 ya"),
        ("nik 3215/0123/4567/8901", "nik xxxx/xxxx/xxxx/8901"),
        ("nik 3215\u00a00123\u00a04567\u00a08901", "nik xxxx\u00a0xxxx\u00a0xxxx\u00a08901"),
        ("nik 32\u00a01501 2345 67 0001", "nik xx\u00a0xxxx xxxx xx 0001"),
    ],
)
def test_mask_text_bare_and_slashed_numbers(text, expected):
    assert mask_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no paspor C 123 4567", "no paspor C xxx x567"),
        ("paspor A-1234567", "paspor A-xxxx567"),
        ("paspor saya X-1234567 hilang", "paspor saya X-xxxx567 hilang"),
    ],
)
def test_mask_text_passport_with_separator(text, expected):
    assert mask_text(text) == expected
    assert mask_text(expected) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("budi [at] gmail dot com", "b***@g***.com"),
        ("budi(at)gmail(dot)com", "b***@g***.com"),
        ("budi.santoso at gmail.com", "b***@g***.com"),
        ("tulis budi @ gmail . com ya", "tulis b***@g***.com ya"),
        ("budi.santoso@ gmail.com", "b***@g***.com"),
        ("budi.santoso(@)gmail.com", "b***@g***.com"),
        ("budi.santoso[@]gmail.com", "b***@g***.com"),
        ("budi\uff20gmail\uff0ecom", "b***@g***.com"),
        ("budi.santoso@gmail saja", "b***@g*** saja"),
        ("budi_santoso%kantor@gmail.com", "b***@g***.com"),
        ('"budi santoso"@gmail.com', "b***@g***.com"),
        ("rina.w at kantor.co.id", "r***@k***.co.id"),
        ("budi AT gmail DOT com", "b***@g***.com"),
        ("budi { At } gmail.com", "b***@g***.com"),
        ("budi\ufe6bgmail.com", "b***@g***.com"),
        ("\uff42\uff55\uff44\uff49\uff20\uff47\uff4d\uff41\uff49\uff4c",
         "\uff42***@\uff47***"),
        # The next sentence is not read as a suffix.
        ("kirim ke budi@ gmail. Terima kasih", "kirim ke b***@g***. Terima kasih"),
    ],
)
def test_mask_text_disguised_email(text, expected):
    assert mask_text(text) == expected
    assert mask_text(expected) == expected


@pytest.mark.parametrize(
    "text",
    [
        "look at example.com for more",
        "I was at home. Then at school.",
        "ketemu at kantor imigrasi",
        "bayar @ 350rb",
        "makasih @kanim.bdg sudah dibantu",
        "info di @imigrasi.go.id",
    ],
)
def test_mask_text_leaves_at_in_sentences(text):
    assert mask_text(text) == text


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="0123456789 .-/_()+xX8\u00a0\u00adkodebilngvapsr", max_size=60))
def test_mask_text_digit_masks_keep_length(text):
    for _min_digits, mask in privacy._DIGIT_MASKS:
        assert len(mask(text)) == len(text)


def test_mask_text_empty_and_emoji():
    assert mask_text("") == ""
    assert mask_text("😡😡😡") == "😡😡😡"


# Each mask at the minimum digit count its gate lets through, and one digit below.
# Arabic-Indic, Devanagari and full-width digits are ``\d`` digits, so they count and
# are masked like ASCII digits.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kode billing 1234567890", "kode billing xxxxxx7890"),
        ("kode bayar 123456789", "kode bayar 123456789"),
        ("kode billing \uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff10",
         "kode billing xxxxxx\uff17\uff18\uff19\uff10"),
        ("hubungi 0812345678", "hubungi 08xxxx5678"),
        ("hubungi 081234567", "hubungi 081234567"),
        ("wa 08\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668",
         "wa 08xxxx\u0665\u0666\u0667\u0668"),
        ("wa 08\u0967\u0968\u0969\u096a\u096b\u096c\u096d\u096e",
         "wa 08xxxx\u096b\u096c\u096d\u096e"),
        ("nik 12 3456 7890 123", "nik xx xxxx xxx0 123"),
        ("nik 12 3456 7890 12", "nik 12 3456 7890 12"),
        ("nik \uff11\uff12 \uff13\uff14\uff15\uff16 \uff17\uff18\uff19\uff10 "
         "\uff11\uff12\uff13",
         "nik xx xxxx xxx\uff10 \uff11\uff12\uff13"),
        ("paspor X1234567", "paspor Xxxxx567"),
        ("paspor X123456", "paspor X123456"),
        ("paspor X\u0661\u0662\u0663\u0664\u0665\u0666\u0667",
         "paspor Xxxxx\u0665\u0666\u0667"),
        ("ref 1234567890123456", "ref xxxxxxxxxxxx3456"),
        ("ref 123456789012345", "ref xxxxxxxxxxx2345"),
        ("ref 1234567890123", "ref xxxxxxxxx0123"),
        ("ref 123456789012", "ref 123456789012"),
        ("ini 1234567890 kode billing", "ini xxxxxx7890 kode billing"),
        ("ini 123456789 kode billing", "ini 123456789 kode billing"),
        ("paspor C 123 4567", "paspor C xxx x567"),
        ("paspor C 123 456", "paspor C 123 456"),
        ("wa (0812) 345-678", "wa (08xx) xx5-678"),
        ("wa (0812) 345-67", "wa (0812) 345-67"),
        ("ref \u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660"
         "\u0661\u0662\u0663\u0664\u0665\u0666",
         "ref xxxxxxxxxxxx\u0663\u0664\u0665\u0666"),
        # Only the spaced-NIK mask catches this one. The split-number mask does not start
        # after a comma, and the tail "0123 4567 8901" has only 12 digits.
        ("no,3215 0123 4567 8901", "no,xxxx xxxx xxxx 8901"),
        ("tulis ke a@b.id", "tulis ke a***@b***.id"),
        # Superscript digits are not ``\d`` digits, so no mask applies.
        ("paspor X\u00b2\u00b2\u00b2\u00b2\u00b2\u00b2\u00b2",
         "paspor X\u00b2\u00b2\u00b2\u00b2\u00b2\u00b2\u00b2"),
    ],
)
def test_mask_text_digit_gate_boundaries(text, expected):
    assert mask_text(text) == expected


def _mask_text_every_pattern(text: str) -> str:
    """Apply every mask in order with no digit gate, as mask_text did before the gate."""
    masked = privacy._mask_emails(text)
    digit_chars = privacy._ANY_DIGIT_RE.findall(text)
    return privacy._mask_numbers(masked, digit_chars, sys.maxsize)


# Pieces of comments with numbers in several scripts, separators, keywords and e-mails,
# so that random joins often come near a mask's minimum digit count.
_NUMBERED_TEXT = st.lists(
    st.one_of(
        st.from_regex(r"[0-9]{1,17}", fullmatch=True),
        st.text(alphabet="0123456789\u0660\u0665\u0969\uff10\uff18\u00b2 .-", max_size=17),
        st.text(alphabet="0189\u06f8\U0001d7d6 ./_()\u00a0\u00ad\u2013\nx", max_size=17),
        st.sampled_from(["+62", "62", "08", "0", "8", " ", "-", ".", ",", "@", "X", "AB", "E "]),
        st.sampled_from(["kode billing ", "kode bayar: ", "no. permohonan ", "nomor ", "NIK "]),
        st.sampled_from([" kode billing", "nomor va ", "rekening saya ", "paspor ", "(", ")"]),
        st.sampled_from(["budi.s", "gmail", ".com", ".co.id", "_"]),
        st.sampled_from([" at ", " [at] ", "(@)", " dot ", " . ", "\uff20", "\uff0e", '"', "%"]),
        st.sampled_from([" AT ", "{ At }", "( at)", "\u00a0at ", "[AT]", "\ufe6b", " @ "]),
        st.text(max_size=6),
    ),
    max_size=25,
).map("".join)


@settings(max_examples=1_000, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=_NUMBERED_TEXT)
def test_mask_text_gate_matches_every_pattern(text):
    assert mask_text(text) == _mask_text_every_pattern(text)


# --------------------------------------------------------------------------- frames

def _comments() -> pd.DataFrame:
    return pd.DataFrame({
        "author": ["budi_s", None, "Sari"],
        "text": [
            "WA 0812-3456-7890, tanya @teman_saya dan @kanim_contoh",
            "NIK 3215012345678901",
            "Oke",
        ],
        "likes": pd.array([1, None, 3], dtype="Int64"),
    })


def test_protect_frame_pseudonymises_and_masks():
    original = _comments()
    protected = protect_frame(original, secret=SECRET)
    assert protected["author"].tolist() == [
        pseudonym("budi_s", SECRET), None, pseudonym("Sari", SECRET)
    ]
    assert "08xx-xxxx-7890" in protected["text"][0]
    assert "@" + pseudonym("teman_saya", SECRET) in protected["text"][0]
    assert "@kanim_contoh" in protected["text"][0]
    assert protected["text"][1] == "NIK xxxxxxxxxxxx8901"


def test_protect_frame_repeated_and_blank_authors():
    frame = pd.DataFrame({
        "author": ["budi_s", "Sari", "budi_s", "  ", None, float("nan"), "@Budi_S", "Sari"],
        "text": ["oke"] * 8,
    })

    authors = protect_frame(frame, secret=SECRET)["author"].tolist()

    assert authors[0] == pseudonym("budi_s", SECRET)
    assert authors[1] == pseudonym("Sari", SECRET)
    assert authors[2] == authors[0]
    assert authors[3:6] == [None, None, None]
    assert authors[6] == authors[0]
    assert authors[7] == authors[1]


def test_protect_frame_mention_stops_at_double_dot():
    frame = pd.DataFrame({"author": [None], "text": ["@budi..tolong dicek, @admin juga"]})
    protected = protect_frame(frame, secret=SECRET)
    assert protected["text"][0] == f"@{pseudonym('budi', SECRET)}..tolong dicek, @admin juga"


def test_protect_frame_keeps_price_after_at_sign():
    frame = pd.DataFrame({"author": [None], "text": ["bayar online @Rp. 350K"]})
    assert protect_frame(frame, secret=SECRET)["text"][0] == "bayar online @Rp. 350K"


def test_protect_frame_returns_copy():
    original = _comments()
    protect_frame(original, secret=SECRET)
    assert original["author"][0] == "budi_s"
    assert "0812-3456-7890" in original["text"][0]


def test_protect_frame_keep_usernames_keeps_only_author():
    protected = protect_frame(_comments(), secret=SECRET, keep_usernames=True)
    assert protected["author"][0] == "budi_s"
    assert "@teman_saya" not in protected["text"][0]
    assert "@" + pseudonym("teman_saya", SECRET) in protected["text"][0]
    assert "08xx-xxxx-7890" in protected["text"][0]


def test_protect_frame_masks_email_not_as_mention():
    frame = pd.DataFrame({"author": [None], "text": ["kirim ke budi.santoso@gmail.com ya"]})

    protected = protect_frame(frame, secret=SECRET)["text"][0]

    assert protected == "kirim ke " + mask_text("budi.santoso@gmail.com") + " ya"
    assert "pengguna-" not in protected


def test_protect_frame_idempotent():
    once = protect_frame(_comments(), secret=SECRET)
    twice = protect_frame(once, secret=SECRET, keep_usernames=True)
    assert twice["text"].tolist() == once["text"].tolist()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=HYPERLINK(\"http://contoh.invalid\")", "'=HYPERLINK(\"http://contoh.invalid\")"),
        ("+62 812", "'+62 812"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tisi", "'\tisi"),
        ("\risi", "'\risi"),
        ("komentar biasa", "komentar biasa"),
        (5, 5),
        (None, None),
    ],
)
def test_neutralize_formula(value, expected):
    assert neutralize_formula(value) == expected


def test_neutralize_frame_text_cells_and_headers():
    frame = pd.DataFrame({"=judul": ["=1+1", "aman"], "likes": [1, 2]})
    safe = neutralize_frame(frame)
    assert list(safe.columns) == ["'=judul", "likes"]
    assert safe["'=judul"].tolist() == ["'=1+1", "aman"]
    assert safe["likes"].tolist() == [1, 2]
    assert frame["=judul"][0] == "=1+1"


@pytest.mark.parametrize(
    "text",
    ["NIK 32 1501 2345 67 0001", "nik saya 32150123 45670001", "no 3215-0123-4567-0001"],
)
def test_mask_text_irregularly_split_nik(text):
    masked = mask_text(text)

    assert "0001" in masked
    assert "1501" not in masked
    assert "0123" not in masked


@pytest.mark.parametrize("mention", ["@jasapaspor.andi", "@rina.imigrasi"])
def test_protect_frame_private_account_with_office_word(mention):
    frame = pd.DataFrame({"author": [None], "text": [f"tanya ke {mention} saja"]})

    assert mention not in protect_frame(frame, secret=SECRET)["text"][0]


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        ("@búdí_santoso", "@" + pseudonym("búdí_santoso", SECRET)),
        ("@@budi_santoso", "@@" + pseudonym("budi_santoso", SECRET)),
        ("\uff20budi_santoso", "\uff20" + pseudonym("budi_santoso", SECRET)),
        # Styled letters are plain letters after NFKC normalisation.
        ("@\U0001d41b\U0001d42e\U0001d41d\U0001d422_santoso",
         "@" + pseudonym("budi_santoso", SECRET)),
    ],
)
def test_protect_frame_mention_any_script(mention, expected):
    frame = pd.DataFrame({"author": [None], "text": [f"tanya {mention} ya"]})

    protected = protect_frame(frame, secret=SECRET)["text"][0]

    assert protected == f"tanya {expected} ya"


def test_protect_frame_keeps_full_width_official_mention():
    frame = pd.DataFrame({"author": [None], "text": ["tanya \uff20kanim_contoh saja"]})
    assert protect_frame(frame, secret=SECRET)["text"][0] == "tanya \uff20kanim_contoh saja"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kirim ke budi.santoso @gmail.com ya", "kirim ke b***@g***.com ya"),
        ("halo @budi.santoso@gmail.com", "halo @b***@g***.com"),
    ],
)
def test_protect_frame_spaced_email_not_mention(text, expected):
    frame = pd.DataFrame({"author": [None], "text": [text]})

    protected = protect_frame(frame, secret=SECRET)["text"][0]

    assert protected == expected
    assert "pengguna-" not in protected


def test_protect_frame_idempotent_with_emails():
    frame = pd.DataFrame({
        "author": [None, None],
        "text": [
            "@teman_saya kirim ke rina@surel.id atau rina [at] gmail dot com",
            "wa (0812) 3456-7890, \uff20budi_s, joko @ gmail . com",
        ],
    })

    once = protect_frame(frame, secret=SECRET)
    twice = protect_frame(once, secret=SECRET, keep_usernames=True)

    assert twice["text"].tolist() == once["text"].tolist()
    assert "@" + pseudonym("teman_saya", SECRET) in once["text"][0]
    assert "r***@s***.id" in once["text"][0]
    assert "r***@g***.com" in once["text"][0]


def test_protect_frame_idempotent_after_double_at_sign():
    frame = pd.DataFrame({"author": [None], "text": ["-@@0-budi.s"]})

    once = protect_frame(frame, secret=SECRET)

    assert once["text"][0] == "-@@" + pseudonym("0", SECRET) + "-budi.s"
    assert protect_frame(once, secret=SECRET)["text"].tolist() == once["text"].tolist()
