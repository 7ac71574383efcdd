"""Tests for the C chunk loops: each must give what the pure-Python path of normalize gives."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netno import normalize
from netno.normalize import _CHUNK_RE, MatchText, batch_tokens, match_texts, original_spans

_chunks = pytest.importorskip(
    "netno._chunks",
    reason="the C extension netno._chunks is not built (pip install -e . builds it)",
)

_REPO = Path(__file__).resolve().parents[1]

# Letters, digits, "_", kinds of white space, apostrophes, punctuation, a superscript,
# a combining accent, emoji with a skin tone and a joiner, a letter above U+FFFF, a
# lone surrogate, and NUL, the separator of joined texts.
_ALPHABET = (
    "aZ_19 \t\n\r\u00a0\u2009\u3000.,!?-'’²³é\u0301ſİ😡👍🏽\u200d❤️\U0001d400\ud800\x00"
)
# Whole words and links: slang, elongation, clitics, reduplication, URLs, mentions.
_PIECES = [
    "gk", "lemottt", "aplikasinya", "masuk2", "abal²", "OTP", "Kode billing", " ",
    "https://contoh.go.id/a?b=1", "www.contoh.id", "@admin_1", "nama@contoh.id",
    "ke-7", "10.000", "tdk", "Gaada", "jam 07:30",
]
_TEXT = st.lists(
    st.one_of(
        st.sampled_from(_PIECES),
        st.text(alphabet=_ALPHABET, max_size=5),
        st.text(max_size=3),
    ),
    max_size=8,
).map("".join)


@contextmanager
def _python_path() -> Iterator[None]:
    """Run the block on the pure-Python path of ``netno.normalize``."""
    saved = normalize._chunks
    normalize._chunks = None
    try:
        yield
    finally:
        normalize._chunks = saved


def _token_lists(norms: list[MatchText]) -> tuple[list[int], list[list[tuple[str, int]]]] | None:
    """Return the batch tokens of ``norms`` as (word, position) lists per text."""
    found = batch_tokens(norms)
    if found is None:
        return None
    indices, tokens = found
    per_text: list[list[tuple[str, int]]] = [[] for _ in range(tokens.text_count)]
    for word, text, position in zip(
        tokens.word_of_token.tolist(),
        tokens.text_of_token.tolist(),
        tokens.positions.tolist(),
        strict=True,
    ):
        per_text[text].append((tokens.words[word], position))
    return indices, per_text


def _spans_of(norm: MatchText) -> list[tuple[int, int]]:
    length = len(norm.text)
    return [
        (start, min(end, length))
        for start in range(length)
        for end in (start, start + 1, start + 3, length)
    ]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40) | st.text(max_size=40))
def test_chunks_scan_agrees_with_chunk_pattern(text: str) -> None:
    distinct, kinds, starts = _chunks.scan(text)
    matches = list(_CHUNK_RE.finditer(text))
    numbers = np.frombuffer(kinds, np.int64).tolist()
    assert [distinct[number] for number in numbers] == [match.group() for match in matches]
    assert np.frombuffer(starts, np.int64).tolist() == [match.start() for match in matches]
    # Distinct chunks are numbered in order of first occurrence.
    assert distinct == list(dict.fromkeys(match.group() for match in matches))


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=6))
def test_chunks_match_texts_agree_with_python_path(texts: list[str]) -> None:
    norms = match_texts(texts)
    spans = [_spans_of(norm) for norm in norms]
    with _python_path():
        expected_norms = match_texts(texts)
        expected_tokens = _token_lists(expected_norms)
        expected_spans = original_spans(expected_norms, spans)
    assert [norm.text for norm in norms] == [norm.text for norm in expected_norms]
    assert _token_lists(norms) == expected_tokens
    assert original_spans(norms, spans) == expected_spans


def test_chunks_scan_of_empty_text() -> None:
    distinct, kinds, starts = _chunks.scan("")
    assert (distinct, bytes(kinds), bytes(starts)) == ([], b"", b"")


def test_chunks_match_texts_of_empty_texts() -> None:
    texts = ["", "", "ok"]
    norms = match_texts(texts)
    with _python_path():
        expected = match_texts(texts)
        expected_tokens = _token_lists(expected)
    assert [norm.text for norm in norms] == ["", "", "ok"] == [norm.text for norm in expected]
    assert _token_lists(norms) == expected_tokens


def test_chunks_join_rejects_bad_arguments() -> None:
    kinds = np.array([0, 2], np.int64)
    with pytest.raises(IndexError):
        _chunks.join(kinds, ["a", "b"], -1)
    with pytest.raises(TypeError):
        _chunks.join(kinds, ("a", "b", "c"), -1)
    with pytest.raises(TypeError):
        _chunks.tokens(kinds, ["a", "b", 3], -1)
    with pytest.raises(ValueError):
        _chunks.join(np.array([0, 0], np.int32), ["a"], -1)  # int32, not int64
    with pytest.raises(ValueError):
        _chunks.join(bytes(8), ["a"], -1)  # bytes, not int64 items


def test_chunks_expand_rejects_disagreeing_lengths() -> None:
    one = np.zeros(1, np.int64)
    with pytest.raises(ValueError):
        _chunks.expand(one, np.zeros(2, np.int64), one, one, np.zeros(3, np.int64), -1)
    with pytest.raises(ValueError):
        # The counts promise one piece; the table has none.
        _chunks.expand(one, one, one, np.ones(1, np.int64), np.zeros(0, np.int64), -1)


def test_chunks_expand_wrapping_counts() -> None:
    # Two huge counts and a small one add up to 1 in 64-bit arithmetic, which matches
    # the one piece given. Each count must still fit in the pieces left.
    huge = 2**63 - 1
    with pytest.raises(ValueError, match="invalid piece count"):
        _chunks.expand(
            np.zeros(1, np.int64), np.zeros(1, np.int64), np.ones(3, np.int64),
            np.array([huge, huge, 3], np.int64), np.array([0, 0, 1], np.int64), -1,
        )


def test_chunks_pure_python_environment() -> None:
    code = "from netno import normalize; print(normalize._chunks is None)"
    environment = {
        key: value for key, value in os.environ.items() if key != normalize.PURE_PYTHON_ENV
    }
    results = []
    for extra in ({}, {normalize.PURE_PYTHON_ENV: "1"}):
        run = subprocess.run(
            [sys.executable, "-c", code], cwd=_REPO, env={**environment, **extra},
            capture_output=True, text=True, check=True,
        )
        results.append(run.stdout.strip())
    assert results == ["False", "True"]
