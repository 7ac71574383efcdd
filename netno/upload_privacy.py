"""Mask the raw rows of an upload before staff see them in the upload preview."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from netno.privacy import hide_mentions, mask_preview, mask_text, personal_columns

__all__ = [
    "CONTACT_COLUMN_WORDS",
    "contact_columns",
    "hide_mentions",
    "masked_column_names",
    "masked_preview",
]

# Words in a column name that mean the column names a person or contains a contact:
# sender, Instagram handle, address, e-mail, phone or WhatsApp number, NIK or KTP.
# They extend ``privacy.personal_columns``, which matches user names and profile links.
CONTACT_COLUMN_WORDS = (
    "pengirim", "sender", "ig", "instagram", "alamat", "address", "email", "e-mail",
    "surel", "telepon", "phone", "hp", "wa", "whatsapp", "nik", "ktp",
)

# A word is bounded by anything but a letter or digit, so "no_hp" and "HP pengirim"
# match "hp" while "whatsapp" does not match "wa" and "nikmat" does not match "nik".
_CONTACT_COLUMN_RE = re.compile(
    r"(?i)(?<![^\W_])(?:" + "|".join(map(re.escape, CONTACT_COLUMN_WORDS)) + r")(?![^\W_])"
)



def contact_columns(columns: Iterable[object]) -> list[str]:
    """Return the column names that contain one of ``CONTACT_COLUMN_WORDS`` as a whole word.

    The match ignores case. Names are compared as text, so a numeric header works too.
    """
    return [str(column) for column in columns if _CONTACT_COLUMN_RE.search(str(column))]


def masked_column_names(columns: Iterable[object]) -> list[str]:
    """Return the column names passed through ``mask_text``, made unique again.

    Two names can mask to the same text ("hp 081234561234" and "hp 081299991234"),
    so a repeat gets " (2)", " (3)" and so on, because a table needs unique names.
    """
    names: list[str] = []
    seen: dict[str, int] = {}
    for column in columns:
        name = mask_text(str(column))
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        seen.setdefault(name, 1)
        names.append(name)
    return names


def _masked_cell(value: object) -> object:
    # Mentions first: a masked e-mail address ("b***@g***.com") would read as a mention.
    return mask_text(hide_mentions(value)) if isinstance(value, str) else value


def masked_preview(frame: pd.DataFrame, *, author: str | None = None) -> pd.DataFrame:
    """Return a copy of an upload preview that shows no personal data the masks know.

    Columns that name a person or contact (``privacy.personal_columns`` and
    ``CONTACT_COLUMN_WORDS``, plus ``author``) are blanked. @mentions in the other text
    cells become "@…", ``mask_text`` masks numbers and e-mail addresses, and the column
    names are masked too.

    Note: a person's name typed inside a comment without "@" stays readable, because
    no mask recognises plain names.
    """
    columns = [str(column) for column in frame.columns]
    hidden = set(personal_columns(columns, author=author)) | set(contact_columns(columns))

    masked = frame.set_axis(columns, axis="columns")
    for column in columns:
        # pandas 3 may give text columns the "str" dtype instead of object.
        if column not in hidden and (
            masked[column].dtype == object or isinstance(masked[column].dtype, pd.StringDtype)
        ):
            masked[column] = masked[column].map(_masked_cell).astype(object)
    masked = mask_preview(masked, hidden_columns=hidden)
    masked.columns = masked_column_names(columns)
    return masked
