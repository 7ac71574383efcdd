"""Type stubs of the optional C extension netno._gate (see netno/_gate.c)."""

from collections.abc import Callable
from re import Match

from typing_extensions import Buffer

def condition_bits(
    word_of_token: Buffer,
    text_of_token: Buffer,
    condition_offsets: Buffer,
    word_conditions: Buffer,
    text_count: int,
    condition_count: int,
    /,
) -> tuple[bytearray, bytearray]: ...
def match_starts(
    texts: list[str],
    found: list[dict[int, list[tuple[int, int]]]],
    matches: list[Callable[[str, int], Match[str] | None]],
    tokens: tuple[Buffer, Buffer, Buffer],
    words: tuple[Buffer, Buffer, Buffer],
    text_bits: Buffer,
    entries: tuple[Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer],
    options: tuple[Buffer, Buffer, Buffer],
    /,
) -> None: ...
