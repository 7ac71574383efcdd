"""Check the query parameters of a shared dashboard link and build the link to share."""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit, urlunsplit

_LOGGER = logging.getLogger(__name__)

MODE_PARAM = "mode"
PRESENTATION = "presentasi"

# A mention pseudonym in a comment text, as privacy.protect_frame writes it. The
# passport mask may have turned some of its hex digits into "x".
# The at signs stay as typed ("＠", "@@").
_MENTION_PSEUDONYM_RE = re.compile(r"([@＠]+)pengguna-[0-9a-fx]{8}\b")


def hide_mention_pseudonyms(text: str) -> str:
    """Return ``text`` with every mention pseudonym shown as "@pengguna".

    Presentation mode shows no pseudonyms: on a projector, a pseudonym that stays the
    same across comments would still let an audience follow one person.
    """
    return _MENTION_PSEUDONYM_RE.sub(r"\1pengguna", text) if "pengguna-" in text else text

# Parameters that every page understands. The sidebar filters bind to these keys;
# a multiselect bound to the URL carries the option's *label* (what format_func
# returns), not its code, so the allowed values are labels.
SHARED_PARAMS = ("period", "theme", "stage", "category", "intent")

PARAM_LABELS = {
    "period": "Periode",
    "theme": "Tema",
    "stage": "Tahap kematangan",
    "category": "Kategori",
    "intent": "Maksud komentar",
    MODE_PARAM: "Mode",
}

# Page-specific widgets bound to the URL use the page's session-state prefix as the
# start of their key (for example ``fk_top`` on the word-frequency page). Keys with
# another page's prefix are unknown on this page.
PAGE_PREFIXES = {
    "": ("bd_",),
    "beranda": ("bd_",),
    "rekomendasi_prioritas": ("rp_",),
    "hierarki_kendala": ("hk_",),
    "tahap_kematangan": ("tk_",),
    "frekuensi_kata": ("fk_",),
    "tren": ("tr_",),
    "komentar": ("km_",),
    "unggah_data": ("ud_",),
    "riwayat_unggahan": ("ru_",),
}

MAX_VALUE_LENGTH = 200


@dataclass(frozen=True)
class ParamRule:
    """What one query parameter may hold.

    ``allowed`` lists the accepted values (None accepts any value up to
    ``MAX_VALUE_LENGTH`` characters); ``max_values`` is how many times the parameter
    may repeat (1 for a single choice, 2 for a period range, None for no limit).
    """

    allowed: Collection[str] | None = None
    max_values: int | None = None


@dataclass(frozen=True)
class RejectedParam:
    """One query parameter value that a link carried and the dashboard ignores."""

    name: str
    value: str | None  # None when the whole parameter is unknown
    reason: str


@dataclass(frozen=True)
class ParamCheck:
    """The outcome of ``check_params``: the values to keep and the ones ignored."""

    clean: dict[str, list[str]] = field(default_factory=dict)
    rejected: tuple[RejectedParam, ...] = ()

    @property
    def changed_names(self) -> set[str]:
        """Return the names of the parameters whose values were dropped in part or whole."""
        return {item.name for item in self.rejected}


def shared_rules(
    *,
    months: Sequence[str],
    themes: Collection[str],
    stages: Collection[str],
    categories: Collection[str],
    intents: Collection[str],
) -> dict[str, ParamRule]:
    """Return the rules for the sidebar filters and the presentation mode.

    Parameters are the values a link may carry: the months with data (``YYYY-MM``)
    and the labels of the themes, stages, categories and intents.
    """
    return {
        "period": ParamRule(allowed=list(months), max_values=2),
        "theme": ParamRule(allowed=list(themes)),
        "stage": ParamRule(allowed=list(stages)),
        "category": ParamRule(allowed=list(categories)),
        "intent": ParamRule(allowed=list(intents)),
        MODE_PARAM: ParamRule(allowed=[PRESENTATION], max_values=1),
    }


def is_page_param(name: str, page_path: str) -> bool:
    """Return True when ``name`` is a widget key of the page at ``page_path``."""
    prefixes = PAGE_PREFIXES.get(page_path.strip("/"), ())
    return name.startswith(prefixes) if prefixes else False


def check_params(
    params: Mapping[str, Sequence[str]],
    rules: Mapping[str, ParamRule],
    *,
    page_path: str = "",
) -> ParamCheck:
    """Split the query parameters of a link into the values to keep and the ones ignored.

    Parameters
    ----------
    params
        Every query parameter with all its values, as ``st.query_params`` contains them.
    rules
        The rule of every parameter this check knows (see ``shared_rules``).
    page_path
        The page's URL path; keys with that page's prefix pass unchecked because the
        page's own widgets validate them.

    Returns
    -------
    ParamCheck
        ``clean`` keeps only known parameters with their valid values; ``rejected``
        lists what was dropped and why, in Bahasa Indonesia.
    """
    clean: dict[str, list[str]] = {}
    rejected: list[RejectedParam] = []

    for name, values in params.items():
        rule = rules.get(name)
        if rule is None:
            if is_page_param(name, page_path):
                clean[name] = list(values)
            else:
                rejected.append(RejectedParam(name, None, "parameter tidak dikenal"))
            continue

        kept = _valid_values(name, values, rule, rejected)
        if kept:
            clean[name] = kept

    if rejected:
        _LOGGER.info("ignored %d query parameter value(s) of a link", len(rejected))
    return ParamCheck(clean=clean, rejected=tuple(rejected))


def _valid_values(
    name: str, values: Sequence[str], rule: ParamRule, rejected: list[RejectedParam]
) -> list[str]:
    kept: list[str] = []
    for value in values:
        if value == "":
            # An empty value (``?theme=``) clears a multiselect, which is valid.
            continue
        if len(value) > MAX_VALUE_LENGTH:
            rejected.append(RejectedParam(name, value[:40] + "...", "nilai terlalu panjang"))
        elif rule.allowed is not None and value not in rule.allowed:
            rejected.append(RejectedParam(name, value, "nilai tidak dikenal"))
        else:
            kept.append(value)

    if rule.max_values is not None and len(kept) > rule.max_values:
        for value in kept[rule.max_values :]:
            rejected.append(RejectedParam(name, value, "nilai berlebih"))
        kept = kept[: rule.max_values]
    return kept


def notice_text(rejected: Sequence[RejectedParam]) -> str:
    """Return one short Indonesian sentence naming the ignored parts of a link."""
    if not rejected:
        return ""
    parts = []
    for item in rejected[:5]:
        label = PARAM_LABELS.get(item.name, item.name)
        if item.value is None:
            parts.append(f"'{label}' ({item.reason})")
        else:
            parts.append(f"{label} = '{item.value}' ({item.reason})")
    more = f" dan {len(rejected) - 5} lainnya" if len(rejected) > 5 else ""
    return (
        "Sebagian isi tautan tidak dikenali dan diabaikan: "
        + "; ".join(parts)
        + more
        + ". Halaman dibuka dengan pilihan yang tersisa."
    )


def base_url_from_config(address: str | None, port: int | None, base_path: str = "") -> str:
    """Return the server's base URL from Streamlit's ``browser.serverAddress`` and port.

    Used when the browser did not report the URL it opened (``st.context.url`` is
    None, for example under AppTest).
    """
    host = address or "localhost"
    netloc = f"{host}:{port}" if port else host
    path = "/" + base_path.strip("/") if base_path.strip("/") else ""
    return f"http://{netloc}{path}"


def build_share_link(
    base_url: str, page_path: str, params: Mapping[str, Sequence[str]]
) -> str:
    """Return the full link to a page with the given query parameters.

    Parameters
    ----------
    base_url
        The app's address without page or query, e.g. ``http://10.0.0.5:8501``.
        A page path already on it (``st.context.url`` includes one) is replaced.
    page_path
        The page's ``url_path`` (empty for the default page).
    params
        Every parameter with its values; repeated values become repeated keys, in the
        form Streamlit reads back into bound widgets.
    """
    scheme, netloc, path, _query, _fragment = urlsplit(base_url.strip())
    if not scheme or not netloc:
        raise ValueError(f"base_url {base_url!r} has no scheme or host")

    root = _strip_page(path, page_path)
    page = page_path.strip("/")
    full_path = f"{root}/{page}" if page else (root or "/")
    pairs = [(name, value) for name, values in params.items() for value in values]
    return urlunsplit((scheme, netloc, full_path, urlencode(pairs), ""))


def _strip_page(path: str, page_path: str) -> str:
    root = path.rstrip("/")
    page = page_path.strip("/")
    if page and (root == f"/{page}" or root.endswith(f"/{page}")):
        root = root[: -len(page) - 1]
    return root
