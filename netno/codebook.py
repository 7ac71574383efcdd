"""Load and validate the codebook: themes, stages, categories, journey steps and intents."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from netno.oserrors import describe_os_error

__all__ = [
    "CodebookError",
    "Context",
    "Theme",
    "Stage",
    "Category",
    "Step",
    "Intent",
    "Codebook",
    "load_codebook",
    "parse_codebook",
    "default_codebook",
]

DEFAULT_CODEBOOK = "codebook.toml"


class CodebookError(ValueError):
    """The codebook file is malformed; the message (Indonesian) names the entry and the fix."""


@dataclass(frozen=True)
class Theme:
    code: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Stage:
    code: str
    label: str
    description: str
    order: int
    weight: float = 1.0


@dataclass(frozen=True)
class Category:
    """One problem category with the patterns that find it.

    ``patterns`` report the problem; ``mentions`` name the topic neutrally and tag it
    only in a complaint or a question; ``weak`` never tag but mark the code uncertain;
    ``fallback`` tag only when no category of ``yield_to`` was found; a match that
    overlaps an ``exclude`` match is dropped.
    """

    code: str
    label: str
    theme: str
    stage: str
    description: str
    patterns: tuple[re.Pattern[str], ...]
    exclude: tuple[re.Pattern[str], ...] = ()
    action: str = ""
    unit: str = ""
    steps: tuple[str, ...] = ()  # steps this category implies
    mentions: tuple[re.Pattern[str], ...] = ()
    weak: tuple[re.Pattern[str], ...] = ()
    fallback: tuple[re.Pattern[str], ...] = ()
    yield_to: tuple[str, ...] = ()
    steps_unless: tuple[str, ...] = ()  # stated steps that replace the implied ones


@dataclass(frozen=True)
class Step:
    """One journey step.

    ``patterns`` mark the step in any complaint; ``mentions`` mark it only when a
    problem word or a category sits in the same sentence.
    """

    code: str
    label: str
    description: str
    order: int
    patterns: tuple[re.Pattern[str], ...]
    exclude: tuple[re.Pattern[str], ...] = ()
    mentions: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class Context:
    """Codebook-wide rules that decide whether a match reports a current problem."""

    negation_before: tuple[re.Pattern[str], ...] = ()
    reassurance: tuple[re.Pattern[str], ...] = ()
    resolution: tuple[re.Pattern[str], ...] = ()
    completed_before: tuple[re.Pattern[str], ...] = ()
    # Words inside a step match that report the step itself failing, so a
    # completed_before cue in front of it does not cancel it.
    failed_step: tuple[re.Pattern[str], ...] = ()
    contrast: tuple[re.Pattern[str], ...] = ()
    hypothetical_before: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class Intent:
    code: str
    label: str
    description: str
    patterns: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class Codebook:
    """A validated codebook. ``version`` changes whenever the file's content changes."""

    name: str
    version: str
    themes: dict[str, Theme]
    stages: dict[str, Stage]  # in maturity order: present, interact, transact, integration
    categories: dict[str, Category]
    steps: dict[str, Step]
    intents: dict[str, Intent]
    extra: dict[str, Any] = field(default_factory=dict)
    context: Context = field(default_factory=Context)
    macros: dict[str, str] = field(default_factory=dict)

    def theme_of(self, category: str) -> str:
        return self.categories[category].theme

    def stage_of(self, category: str) -> str:
        return self.categories[category].stage


_MACRO_RE = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


def _expand(pattern: str, macros: dict[str, str], where: str) -> str:
    """Replace each ``{NAME}`` in ``pattern`` by the macro NAME."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            known = ", ".join(sorted(macros)) or "none"
            raise CodebookError(
                f"{where}: pola {pattern!r} memakai makro {{{name}}} yang tidak dikenal; "
                f"definisikan di [macros] (yang ada: {known})"
            )
        return macros[name]

    return _MACRO_RE.sub(replace, pattern)


def _compile(
    patterns: Any, where: str, macros: dict[str, str] | None = None
) -> tuple[re.Pattern[str], ...]:
    if patterns is None:
        return ()
    if isinstance(patterns, str) or not isinstance(patterns, list):
        raise CodebookError(f"{where}: harus berupa daftar regex, bukan {patterns!r}")
    compiled = []
    for pattern in patterns:
        if not isinstance(pattern, str) or not pattern.strip():
            raise CodebookError(
                f"{where}: setiap pola harus teks yang tidak kosong, bukan {pattern!r}"
            )
        expanded = _expand(pattern, macros or {}, where)
        try:
            compiled.append(re.compile(expanded))
        except re.error as error:
            raise CodebookError(
                f"{where}: pola {pattern!r} bukan regex yang valid ({error}); perbaiki polanya"
            ) from error
    return tuple(compiled)


def _require(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CodebookError(f"{where}: kolom {key!r} tidak ada atau kosong; isi kolom itu")
    return value.strip()


def _entries(data: dict[str, Any], table: str) -> list[dict[str, Any]]:
    entries = data.get(table)
    if not isinstance(entries, list) or not entries:
        raise CodebookError(
            f"codebook: daftar [[{table}]] tidak ada atau kosong; tambahkan minimal satu entri"
        )
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise CodebookError(f"codebook: entri [[{table}]] ke-{position} bukan tabel TOML")
    return entries


def _check_unique(codes: list[str], table: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise CodebookError(f"{table} {code!r}: kode ganda; setiap kode harus unik")
        seen.add(code)


def _string_list(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(
        isinstance(item, str) and item.strip() for item in value
    ):
        raise CodebookError(f"{where}: harus berupa daftar teks yang tidak kosong, bukan {value!r}")
    return tuple(item.strip() for item in value)


def _parse_macros(data: dict[str, Any]) -> dict[str, str]:
    macros = data.get("macros", {})
    if not isinstance(macros, dict):
        raise CodebookError(f"codebook: [macros] harus tabel NAMA = 'regex', bukan {macros!r}")
    for name, value in macros.items():
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
            raise CodebookError(f"makro {name!r}: nama makro hanya huruf besar, angka dan _")
        if not isinstance(value, str) or not value:
            raise CodebookError(f"makro {name!r}: isinya harus regex yang tidak kosong")
        try:
            re.compile(value)
        except re.error as error:
            raise CodebookError(
                f"makro {name!r}: {value!r} bukan regex yang valid ({error}); perbaiki makronya"
            ) from error
    return dict(macros)


def _parse_context(data: dict[str, Any], macros: dict[str, str]) -> Context:
    table = data.get("context", {})
    if not isinstance(table, dict):
        raise CodebookError(f"codebook: [context] harus berupa tabel, bukan {table!r}")
    known = {
        "negation_before",
        "reassurance",
        "resolution",
        "contrast",
        "hypothetical_before",
        "completed_before",
        "failed_step",
    }
    unknown = set(table) - known
    if unknown:
        raise CodebookError(
            f"context: kunci {', '.join(sorted(unknown))} tidak dikenal; "
            f"gunakan {', '.join(sorted(known))}"
        )
    return Context(**{key: _compile(table.get(key, []), f"context {key}", macros) for key in known})


def parse_codebook(text: str, *, source: str = "codebook") -> Codebook:
    """Parse and validate codebook TOML text.

    Raises:
        CodebookError: the TOML is invalid, a field is missing, a code is duplicated,
            a category names an unknown theme, stage, step or category, a macro is
            unknown, or a pattern does not compile.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CodebookError(f"{source}: TOML tidak valid ({error}); perbaiki sintaksnya") from error

    macros = _parse_macros(data)
    context = _parse_context(data, macros)

    themes = {}
    for entry in _entries(data, "themes"):
        code = _require(entry, "code", "theme")
        where = f"tema {code!r}"
        themes[code] = Theme(code, _require(entry, "label", where), entry.get("description", ""))
    _check_unique([_require(e, "code", "theme") for e in data["themes"]], "tema")

    stages = {}
    for order, entry in enumerate(_entries(data, "stages")):
        code = _require(entry, "code", "stage")
        where = f"tahap {code!r}"
        weight = entry.get("weight", 1.0)
        if not isinstance(weight, int | float) or weight < 0:
            raise CodebookError(f"{where}: weight harus angka 0 atau lebih, bukan {weight!r}")
        stages[code] = Stage(
            code,
            _require(entry, "label", where),
            entry.get("description", ""),
            order,
            float(weight),
        )
    _check_unique([_require(e, "code", "stage") for e in data["stages"]], "tahap")

    steps = {}
    for order, entry in enumerate(_entries(data, "steps")):
        code = _require(entry, "code", "step")
        where = f"langkah {code!r}"
        steps[code] = Step(
            code,
            _require(entry, "label", where),
            entry.get("description", ""),
            order,
            _compile(entry.get("patterns", []), f"{where} patterns", macros),
            _compile(entry.get("exclude", []), f"{where} exclude", macros),
            _compile(entry.get("mentions", []), f"{where} mentions", macros),
        )
    _check_unique([_require(e, "code", "step") for e in data["steps"]], "langkah")

    category_codes = [_require(e, "code", "category") for e in _entries(data, "categories")]
    _check_unique(category_codes, "kategori")
    categories = {}
    for entry in data["categories"]:
        code = _require(entry, "code", "category")
        categories[code] = _parse_category(
            entry, code, themes, stages, steps, category_codes, macros
        )

    intents = {}
    for entry in _entries(data, "intents"):
        code = _require(entry, "code", "intent")
        where = f"intent {code!r}"
        intents[code] = Intent(
            code,
            _require(entry, "label", where),
            entry.get("description", ""),
            _compile(entry.get("patterns", []), f"{where} patterns", macros),
        )
    _check_unique([_require(e, "code", "intent") for e in data["intents"]], "intent")
    missing = {"keluhan", "pertanyaan", "apresiasi", "lainnya"} - set(intents)
    if missing:
        raise CodebookError(
            f"codebook: intent {', '.join(sorted(missing))} tidak ada; "
            "pengklasifikasi butuh keempatnya"
        )

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    known = {
        "name",
        "version",
        "themes",
        "stages",
        "steps",
        "categories",
        "intents",
        "macros",
        "context",
    }
    return Codebook(
        name=str(data.get("name", source)),
        version=f"{data.get('version', '0')}+{digest}",
        themes=themes,
        stages=stages,
        categories=categories,
        steps=steps,
        intents=intents,
        extra={key: value for key, value in data.items() if key not in known},
        context=context,
        macros=macros,
    )


def _parse_category(
    entry: dict[str, Any],
    code: str,
    themes: dict[str, Theme],
    stages: dict[str, Stage],
    steps: dict[str, Step],
    category_codes: list[str],
    macros: dict[str, str],
) -> Category:
    where = f"kategori {code!r}"
    theme = _require(entry, "theme", where)
    if theme not in themes:
        raise CodebookError(
            f"{where}: tema {theme!r} tidak dikenal; gunakan salah satu dari {', '.join(themes)}"
        )
    stage = _require(entry, "stage", where)
    if stage not in stages:
        raise CodebookError(
            f"{where}: tahap {stage!r} tidak dikenal; gunakan salah satu dari {', '.join(stages)}"
        )
    for key in ("steps", "steps_unless"):
        for step in _string_list(entry.get(key), f"{where} {key}"):
            if step not in steps:
                raise CodebookError(
                    f"{where}: langkah {step!r} di {key} tidak dikenal; "
                    f"gunakan salah satu dari {', '.join(steps)}"
                )
    yield_to = _string_list(entry.get("yield_to"), f"{where} yield_to")
    for other in yield_to:
        if other not in category_codes or other == code:
            raise CodebookError(
                f"{where}: yield_to menyebut {other!r}, yang bukan kategori lain di codebook ini"
            )

    patterns = _compile(entry.get("patterns"), f"{where} patterns", macros)
    if not patterns:
        raise CodebookError(f"{where}: butuh minimal satu pola di patterns")
    fallback = _compile(entry.get("fallback", []), f"{where} fallback", macros)
    if fallback and not yield_to:
        raise CodebookError(f"{where}: pola fallback butuh daftar kategori yield_to")
    return Category(
        code=code,
        label=_require(entry, "label", where),
        theme=theme,
        stage=stage,
        description=entry.get("description", ""),
        patterns=patterns,
        exclude=_compile(entry.get("exclude", []), f"{where} exclude", macros),
        action=_require(entry, "action", where),
        unit=_require(entry, "unit", where),
        steps=_string_list(entry.get("steps"), f"{where} steps"),
        mentions=_compile(entry.get("mentions", []), f"{where} mentions", macros),
        weak=_compile(entry.get("weak", []), f"{where} weak", macros),
        fallback=fallback,
        yield_to=yield_to,
        steps_unless=_string_list(entry.get("steps_unless"), f"{where} steps_unless"),
    )


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Load a codebook file, or the default codebook shipped in ``netno/`` when ``path`` is None.

    Raises:
        CodebookError: the file cannot be read or fails validation.
    """
    if path is None:
        text = resources.files("netno").joinpath(DEFAULT_CODEBOOK).read_text(encoding="utf-8")
        return parse_codebook(text, source=DEFAULT_CODEBOOK)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise CodebookError(
            f"{path}: codebook tidak bisa dibaca ({describe_os_error(error)}); periksa path-nya"
        ) from error
    except UnicodeDecodeError as error:
        raise CodebookError(
            f"{path}: bukan file teks UTF-8, jadi bukan codebook TOML; periksa path-nya"
        ) from error
    return parse_codebook(text, source=str(path))


@lru_cache(maxsize=1)
def default_codebook() -> Codebook:
    """Return the default codebook, loaded once per process."""
    return load_codebook()
