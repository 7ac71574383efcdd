"""Escaping user text for Streamlit's Markdown."""

import pytest
from markdown_it import MarkdownIt

from netno.markup import escape_markdown

HOSTILE = [
    "![pelacak](http://contoh.invalid/a.png)",
    "[klik](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "**tebal** _miring_ `kode` ~~coret~~",
    "# judul palsu",
    "| a | b |\n|---|---|\n| 1 | 2 |",
]

# CommonMark with the GitHub extensions Streamlit's renderer also supports.
RENDERER = MarkdownIt("commonmark").enable("table").enable("strikethrough")


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_markdown_renders_no_markup(text: str) -> None:
    html = RENDERER.render(escape_markdown(text))

    for tag in ("<a", "<img", "<script", "<strong", "<em", "<code", "<s>", "<h1", "<table"):
        assert tag not in html, f"{text!r} rendered {tag}"


def test_escape_markdown_keeps_plain_words() -> None:
    assert escape_markdown("kode billing belum muncul") == "kode billing belum muncul"
