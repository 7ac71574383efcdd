"""Escape user-supplied text before Streamlit renders it as Markdown."""

from __future__ import annotations

import re

# Every character that starts Markdown or HTML syntax in Streamlit's renderer
# (CommonMark plus GitHub tables, strike-through, colour and icon directives).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>:$&])")


def escape_markdown(text: object) -> str:
    """Return ``text`` with every Markdown and HTML special character backslash-escaped.

    The result renders as the literal text: no link, image, emphasis, HTML tag or
    directive in it takes effect.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
