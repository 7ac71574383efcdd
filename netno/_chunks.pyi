"""Type stubs of the optional C extension netno._chunks (see netno/_chunks.c)."""

from typing_extensions import Buffer

def scan(text: str, /) -> tuple[list[str], bytearray, bytearray]: ...
def join(kinds: Buffer, forms: list[str], separator: int, /) -> list[str]: ...
def tokens(
    kinds: Buffer, forms: list[str], separator: int, /
) -> tuple[list[str], bytearray, bytearray, bytearray]: ...
def expand(
    kinds: Buffer,
    starts: Buffer,
    steps: Buffer,
    counts: Buffer,
    pieces: Buffer,
    separator: int,
    /,
) -> tuple[bytearray, bytearray, bytearray]: ...
