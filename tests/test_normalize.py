"""Tests for normalising informal Indonesian comment text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netno.normalize import (
    _CHUNK_RE,
    _LINK_HINT_RE,
    MatchText,
    Token,
    _chunk_starts,
    _linked_texts,
    _standard_forms,
    batch_tokens,
    match_texts,
    normalize,
    normalize_with_map,
    normalize_word,
    original_spans,
    tokenize,
)


@pytest.mark.parametrize(
    ("word", "standard"),
    [
        ("ga", "tidak"),
        ("gak", "tidak"),
        ("gk", "tidak"),
        ("nggak", "tidak"),
        ("gabisa", "tidak bisa"),
        ("udh", "sudah"),
        ("blm", "belum"),
        ("tdk", "tidak"),
        ("bs", "bisa"),
        ("sy", "saya"),
        ("gmn", "bagaimana"),
        ("knp", "kenapa"),
        ("yg", "yang"),
        ("dgn", "dengan"),
        ("Gaada", "tidak ada"),
    ],
)
def test_normalize_word_slang(word: str, standard: str) -> None:
    assert normalize_word(word) == standard


@pytest.mark.parametrize(
    ("word", "standard"),
    [
        ("eror", "error"),
        ("erorr", "error"),
        ("kadaluarsa", "kadaluwarsa"),
        ("kedaluwarsa", "kadaluwarsa"),
        ("biling", "billing"),
        ("otpnya", "otp"),
        ("Kouta", "kuota"),
        ("maintanance", "maintenance"),
        ("requeat", "request"),
        ("dowload", "download"),
    ],
)
def test_normalize_word_category_misspellings(word: str, standard: str) -> None:
    assert normalize_word(word) == standard


# Spellings of problem words with a letter dropped, swapped or doubled, plus
# "-nya" forms of domain words: each must reach the form the codebook patterns use.
@pytest.mark.parametrize(
    ("word", "standard"),
    [
        ("eoror", "error"),
        ("ereor", "error"),
        ("Errrorrr", "error"),
        ("eeror", "error"),
        ("loadig", "loading"),
        ("mintenance", "maintenance"),
        ("kadaluarasa", "kadaluwarsa"),
        ("quota", "kuota"),
        ("ganguan", "gangguan"),
        ("lamban", "lambat"),
        ("sistim", "sistem"),
        ("apliksi", "aplikasi"),
        ("mepersulit", "mempersulit"),
        ("statusnya", "status"),
        ("prosesnya", "proses"),
        ("leletnya", "lelet"),
        ("slotnya", "slot"),
        ("gangguannya", "gangguan"),
    ],
)
def test_normalize_word_problem_word_variants(word: str, standard: str) -> None:
    assert normalize_word(word) == standard


@pytest.mark.parametrize("word", ["era", "ero", "kota", "bilang", "sudah", "biasa", "lengkap"])
def test_normalize_word_keeps_lookalike_words(word: str) -> None:
    assert normalize_word(word) == word


@pytest.mark.parametrize(
    ("word", "standard"),
    [
        ("lemottt", "lemot"),
        ("Lemooooooottt", "lemot"),
        ("terussss", "terus"),
        ("LOADINGGG", "loading"),
        # A doubled letter and a clitic together.
        ("lemootnya", "lemot"),
        ("errornyaa", "error"),
    ],
)
def test_normalize_word_elongation(word: str, standard: str) -> None:
    assert normalize_word(word) == standard


def test_normalize_word_keeps_domain_words() -> None:
    assert normalize_word("apk") == "aplikasi"
    assert normalize_word("kuota") == "kuota"
    assert normalize_word("in") == "in"
    assert normalize_word("kk") == "kk"


def test_normalize_styled_letters_become_plain() -> None:
    # "Bold" and "monospace" mathematical letters, and fullwidth forms with an
    # ideographic space and a fullwidth question mark.
    assert normalize("𝘼𝙥𝙡𝙞𝙠𝙖𝙨𝙞 𝙚𝙧𝙧𝙤𝙧 𝚝𝚎𝚛𝚞𝚜") == "aplikasi error terus"
    assert normalize("ｋｏｄｅ　ｏｔｐ　ｇａｋ　ｍａｓｕｋ？") == "kode otp tidak masuk ?"


def test_normalize_styled_letters_keep_original_spans() -> None:
    text = "Kenapa 𝙡𝙤𝙜𝙞𝙣 gagal"
    [norm] = match_texts([text])
    start = norm.text.index("login")
    [(begin, end)] = norm.original_spans([(start, start + len("login"))])
    assert text[begin:end] == "𝙡𝙤𝙜𝙞𝙣"


def test_normalize_reduplication() -> None:
    assert normalize("masuk2") == "masuk"
    assert normalize("gak bisa²") == "tidak bisa"
    assert normalize("dikirim-kirim") == "dikirim kirim"


def test_normalize_clitic_written_apart() -> None:
    assert normalize("otp nya ga masuk2") == "otp tidak masuk"
    assert normalize("kode billing nya lama") == "kode billing lama"


def test_normalize_drops_urls_and_mentions() -> None:
    text = "cek https://contoh.go.id/x dan www.contoh.id @admin_kanim, email a.b@contoh.id"
    assert normalize(text) == "cek dan , email"


def test_normalize_keeps_numbers_of_steps() -> None:
    assert normalize("Langkah 7") == "langkah 7"
    assert normalize("step ke-7") == "step ke 7"
    assert normalize("langkah7") == "langkah 7"


def test_normalize_keeps_emoji_and_clause_punctuation() -> None:
    assert normalize("Mantap👍, lanjut!") == "mantap 👍 , lanjut !"
    assert normalize('(apa) "ini" - ya?') == "apa ini ya ?"


@pytest.mark.parametrize("text", ["", "   ", "\n", "🙏", "---"])
def test_normalize_contentless_text(text: str) -> None:
    assert normalize(text) == normalize(text).strip()
    assert normalize_with_map(text).text == normalize(text)


def test_tokenize_spans_point_into_original() -> None:
    text = "Gak  bisa LOGIN😡, otpnya?"
    tokens = tokenize(text)
    assert [token.text for token in tokens] == ["tidak", "bisa", "login", "😡", ",", "otp", "?"]
    assert all(isinstance(token, Token) for token in tokens)
    assert [token.kind for token in tokens][3:5] == ["emoji", "punct"]
    assert [text[token.start : token.end] for token in tokens][:3] == ["Gak", "bisa", "LOGIN"]
    assert text[tokens[5].start : tokens[5].end] == "otpnya"


def test_normalize_with_map_original_span() -> None:
    text = "Aplikasi lemottt bgt, otp nya GK masuk2"
    mapped = normalize_with_map(text)
    assert mapped.text == "aplikasi lemot banget , otp tidak masuk"
    start = mapped.text.index("tidak masuk")
    begin, end = mapped.original_span(start, start + len("tidak masuk"))
    assert text[begin:end] == "GK masuk2"


@pytest.mark.parametrize(
    "text",
    [
        "Aplikasi lemottt bgt, otp nya GK masuk2",
        "cek https://contoh.go.id @admin eror terus",
        "   Langkah ke-7 😡😡 stuck!!!",
    ],
)
def test_match_text_agrees_with_map(text: str) -> None:
    fast = MatchText(text)
    mapped = normalize_with_map(text)
    assert fast.text == mapped.text == normalize(text)
    spans = [(index, index + 3) for index in range(0, max(len(fast.text) - 3, 1), 4)]
    assert fast.original_spans(spans) == [mapped.original_span(*span) for span in spans]


# Slang, elongation, an empty text, emoji only, tabs and line breaks, a link and a
# mention, and a hyphen inside a word.
_MIXED_TEXTS = [
    "Aplikasi lemottt bgt, otp nya GK masuk2",
    "",
    "😡😡",
    "gpp kok,\n\tcuma   lemot!!",
    "cek https://contoh.go.id @admin eror terus",
    "Langkah ke-7 stuck",
]


def test_match_texts_spans_agree_with_map() -> None:
    texts = _MIXED_TEXTS
    for text, fast in zip(texts, match_texts(texts), strict=True):
        mapped = normalize_with_map(text)
        assert fast.text == mapped.text
        length = len(fast.text)
        spans = [(start, end) for start in range(length) for end in range(start, length + 1)]
        assert fast.original_spans(spans) == [mapped.original_span(*span) for span in spans]


def test_original_spans_many_texts_agree() -> None:
    texts = [
        "Bayarnya GAGAL trs, kode billing hangus",
        "cek www.contoh.id dulu, OTP tdk masuk2",
        "",
        "sdh upload KTP tp statusnya gk berubah",
        "teks berisi \x00 pemisah, lemot",
    ]
    norms = match_texts(texts)
    spans = [
        [(start, end) for start in range(len(norm.text)) for end in (start, start + 4)]
        for norm in norms
    ]
    spans[1] = []  # a text without spans keeps an empty list
    mapped = original_spans(norms, spans)
    for text, text_spans, result in zip(texts, spans, mapped, strict=True):
        reference = normalize_with_map(text)
        assert result == [reference.original_span(*span) for span in text_spans]


def test_standard_forms_keep_word_order() -> None:
    words = ["lemottt", "gk", "aplikasinya", "lemott", "qwrtyy", "bgtttt"]
    expected = ["lemot", "tidak", "aplikasi", "lemot", "qwrtyy", "banget"]
    assert _standard_forms(words) == expected
    # A line break inside a word sends every word through its own regex call.
    assert _standard_forms([*words, "bayarrr\nnya"]) == [*expected, "bayar\nnya"]


def test_batch_tokens_split_like_str_split() -> None:
    texts = _MIXED_TEXTS
    norms = match_texts(texts)
    found = batch_tokens(norms)
    assert found is not None
    indices, tokens = found
    assert indices == [0, 1, 2, 3, 5]  # the text with a link is normalised on its own
    for number, index in enumerate(indices):
        text = norms[index].text
        expected = []
        position = 0
        for word in text.split(" ") if text else []:
            expected.append((word, position))
            position += len(word) + 1
        mine = [
            (tokens.words[word], position)
            for word, position, owner in zip(
                tokens.word_of_token.tolist(),
                tokens.positions.tolist(),
                tokens.text_of_token.tolist(),
                strict=True,
            )
            if owner == number
        ]
        assert mine == expected


def test_batch_tokens_need_one_whole_batch() -> None:
    first = match_texts(["satu dua", "tiga"])
    second = match_texts(["empat lima"])
    assert batch_tokens(first + second) is None
    assert batch_tokens(first[:1]) is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="aHhTtPpSsWw:.@ ſİx\n", max_size=14), min_size=1, max_size=6))
def test_linked_texts_agree_with_link_regex(texts: list[str]) -> None:
    expected = {index for index, text in enumerate(texts) if _LINK_HINT_RE.search(text)}
    assert _linked_texts(texts) == expected


# Letters, digits, "_", kinds of white space, punctuation, a superscript, a combining
# accent, emoji with a skin tone, a letter above U+FFFF, a lone surrogate, NUL.
_CHUNK_ALPHABET = "ab_1 \t\n\u00a0\u3000.,!-'’²é\u0301😡👍🏽\U0001d400\ud800\x00"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_CHUNK_ALPHABET, max_size=30))
def test_chunk_starts_agree_with_chunk_pattern(text: str) -> None:
    expected = [match.start() for match in _CHUNK_RE.finditer(text)]
    assert _chunk_starts(text).tolist() == expected


@pytest.mark.parametrize("spoken", ["kalo", "klo", "KALO"])
def test_normalize_spoken_kalau(spoken):
    assert normalize(f"{spoken} sudah bayar") == "kalau sudah bayar"
