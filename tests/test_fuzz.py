"""Property tests: the reader fails only with IngestError and masking is safe to repeat."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netno.ingest import IngestError, read_comments
from netno.privacy import mask_text

_EXTENSIONS = st.sampled_from([".csv", ".tsv", ".txt", ".xlsx", ".json", ".jsonl", ".pdf", ""])
_SIXTEEN_DIGITS = re.compile(r"\d{16}")

# Text that looks like a comment with numbers: digits, separators, words and e-mails.
_COMMENT_PIECES = st.lists(
    st.one_of(
        st.from_regex(r"[0-9]{1,20}", fullmatch=True),
        st.sampled_from([" ", "-", ".", "+62", "62", "08", "@", "x", "AB", "E ", "\n", "/"]),
        st.sampled_from(["kode billing ", "permohonan ", "NIK ", "gmail.com", "Rp ", "versi "]),
        st.sampled_from(["(", ")", "\u00a0", "\u00ad", "_", "\u2013", "\uff10", "\u0668", "x"]),
        st.sampled_from([" at ", "[at]", "(@)", " dot ", "\uff20", "\uff0e", '"']),
        st.sampled_from(["paspor ", "va ", "rekening "]),
        st.text(max_size=8),
    ),
    max_size=30,
).map("".join)


def _read_or_reject(data: bytes, filename: str) -> None:
    try:
        result = read_comments(data, filename, max_rows=1_000)
    except IngestError as error:
        assert str(error)
        return
    assert list(result.comments.columns)[:4] == ["source_id", "parent_id", "author", "text"]
    assert result.comments["text"].map(lambda t: isinstance(t, str) and t.strip() != "").all()


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.binary(max_size=2_000), extension=_EXTENSIONS)
def test_read_comments_arbitrary_bytes_raise_only_ingest_error(data, extension):
    _read_or_reject(data, "unggahan" + extension)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400),
    extension=st.sampled_from([".csv", ".tsv", ".json", ".jsonl"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_read_comments_arbitrary_text_raise_only_ingest_error(text, extension, encoding):
    _read_or_reject(text.encode(encoding, errors="replace"), "unggahan" + extension)


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(
        st.sampled_from(["id", "text", "timestamp", "replies", "data", "owner", "username",
                         "created_at", "answers", "like_count", "score", "at", "content"]),
        children,
        max_size=6,
    ),
    max_leaves=30,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(payload=_JSON_VALUES)
def test_read_comments_arbitrary_json_raise_only_ingest_error(payload):
    _read_or_reject(json.dumps(payload).encode(), "komentar.json")


@settings(max_examples=500, deadline=None)
@given(text=st.one_of(st.text(), _COMMENT_PIECES))
def test_mask_text_never_raises_and_leaves_no_sixteen_digits(text):
    masked = mask_text(text)
    assert isinstance(masked, str)
    assert not _SIXTEEN_DIGITS.search(masked)


@settings(max_examples=500, deadline=None)
@given(text=st.one_of(st.text(), _COMMENT_PIECES))
def test_mask_text_idempotent(text):
    once = mask_text(text)
    assert mask_text(once) == once
