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

__all__ = [
    "CodebookError",
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
    """The codebook file is malformed; the message names the entry and the fix."""


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
    code: str
    label: str
    theme: str
    stage: str
    description: str
    patterns: tuple[re.Pattern[str], ...]
    exclude: tuple[re.Pattern[str], ...] = ()
    action: str = ""
    unit: str = ""
    steps: tuple[str, ...] = ()  # steps this category always implies


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    description: str
    order: int
    patterns: tuple[re.Pattern[str], ...]
    exclude: tuple[re.Pattern[str], ...] = ()


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

    def theme_of(self, category: str) -> str:
        return self.categories[category].theme

    def stage_of(self, category: str) -> str:
        return self.categories[category].stage


def _compile(patterns: Any, where: str) -> tuple[re.Pattern[str], ...]:
    if patterns is None:
        return ()
    if isinstance(patterns, str) or not isinstance(patterns, list):
        raise CodebookError(f"{where}: expected a list of regular expressions, got {patterns!r}")
    compiled = []
    for pattern in patterns:
        if not isinstance(pattern, str) or not pattern.strip():
            raise CodebookError(f"{where}: each pattern must be a non-empty string, got {pattern!r}")
        try:
            compiled.append(re.compile(pattern))
        except re.error as error:
            raise CodebookError(
                f"{where}: pattern {pattern!r} does not compile ({error}); fix the regular expression"
            ) from error
    return tuple(compiled)


def _require(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CodebookError(f"{where}: missing or empty field {key!r}")
    return value.strip()


def _entries(data: dict[str, Any], table: str) -> list[dict[str, Any]]:
    entries = data.get(table)
    if not isinstance(entries, list) or not entries:
        raise CodebookError(f"codebook: the [[{table}]] list is missing or empty")
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise CodebookError(f"codebook: [[{table}]] entry {position} is not a table")
    return entries


def _check_unique(codes: list[str], table: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise CodebookError(f"{table} {code!r}: duplicate code; every code must be unique")
        seen.add(code)


def parse_codebook(text: str, *, source: str = "codebook") -> Codebook:
    """Parse and validate codebook TOML text.

    Raises:
        CodebookError: the TOML is invalid, a field is missing, a code is duplicated,
            a category names an unknown theme, stage or step, or a pattern does not compile.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CodebookError(f"{source}: invalid TOML ({error})") from error

    themes = {}
    for entry in _entries(data, "themes"):
        code = _require(entry, "code", "theme")
        where = f"theme {code!r}"
        themes[code] = Theme(code, _require(entry, "label", where), entry.get("description", ""))
    _check_unique([_require(e, "code", "theme") for e in data["themes"]], "theme")

    stages = {}
    for order, entry in enumerate(_entries(data, "stages")):
        code = _require(entry, "code", "stage")
        where = f"stage {code!r}"
        weight = entry.get("weight", 1.0)
        if not isinstance(weight, int | float) or weight < 0:
            raise CodebookError(f"{where}: weight must be a number of 0 or more, got {weight!r}")
        stages[code] = Stage(
            code,
            _require(entry, "label", where),
            entry.get("description", ""),
            order,
            float(weight),
        )
    _check_unique([_require(e, "code", "stage") for e in data["stages"]], "stage")

    steps = {}
    for order, entry in enumerate(_entries(data, "steps")):
        code = _require(entry, "code", "step")
        where = f"step {code!r}"
        steps[code] = Step(
            code,
            _require(entry, "label", where),
            entry.get("description", ""),
            order,
            _compile(entry.get("patterns", []), f"{where} patterns"),
            _compile(entry.get("exclude", []), f"{where} exclude"),
        )
    _check_unique([_require(e, "code", "step") for e in data["steps"]], "step")

    categories = {}
    for entry in _entries(data, "categories"):
        code = _require(entry, "code", "category")
        where = f"category {code!r}"
        theme = _require(entry, "theme", where)
        if theme not in themes:
            raise CodebookError(
                f"{where}: unknown theme {theme!r}; use one of {', '.join(themes)}"
            )
        stage = _require(entry, "stage", where)
        if stage not in stages:
            raise CodebookError(
                f"{where}: unknown stage {stage!r}; use one of {', '.join(stages)}"
            )
        implied = entry.get("steps", [])
        for step in implied:
            if step not in steps:
                raise CodebookError(f"{where}: unknown step {step!r}; use one of {', '.join(steps)}")
        patterns = _compile(entry.get("patterns"), f"{where} patterns")
        if not patterns:
            raise CodebookError(f"{where}: needs at least one pattern")
        categories[code] = Category(
            code=code,
            label=_require(entry, "label", where),
            theme=theme,
            stage=stage,
            description=entry.get("description", ""),
            patterns=patterns,
            exclude=_compile(entry.get("exclude", []), f"{where} exclude"),
            action=entry.get("action", ""),
            unit=entry.get("unit", ""),
            steps=tuple(implied),
        )
    _check_unique([_require(e, "code", "category") for e in data["categories"]], "category")

    intents = {}
    for entry in _entries(data, "intents"):
        code = _require(entry, "code", "intent")
        where = f"intent {code!r}"
        intents[code] = Intent(
            code,
            _require(entry, "label", where),
            entry.get("description", ""),
            _compile(entry.get("patterns", []), f"{where} patterns"),
        )
    _check_unique([_require(e, "code", "intent") for e in data["intents"]], "intent")

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    known = {"name", "version", "themes", "stages", "steps", "categories", "intents"}
    return Codebook(
        name=str(data.get("name", source)),
        version=f"{data.get('version', '0')}+{digest}",
        themes=themes,
        stages=stages,
        categories=categories,
        steps=steps,
        intents=intents,
        extra={key: value for key, value in data.items() if key not in known},
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
        raise CodebookError(f"{path}: cannot read the codebook ({error.strerror})") from error
    return parse_codebook(text, source=str(path))


@lru_cache(maxsize=1)
def default_codebook() -> Codebook:
    """Return the default codebook, loaded once per process."""
    return load_codebook()
