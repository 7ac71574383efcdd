"""Measure the classifier against a hand-coded gold file and report per-code scores and misses."""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netno.classify import Classifier, Coding
from netno.codebook import Codebook
from netno.numbers import format_number
from netno.oserrors import describe_os_error

__all__ = ["GoldError", "GoldComment", "read_gold", "evaluate", "format_report", "register"]


class GoldError(ValueError):
    """The gold file cannot be used; the message (Indonesian) names the line and the fix."""


@dataclass(frozen=True)
class GoldComment:
    """One hand-coded comment."""

    id: str
    text: str
    categories: frozenset[str]
    steps: frozenset[str]
    intent: str


def read_gold(path: str | Path, codebook: Codebook) -> list[GoldComment]:
    """Read a JSON Lines gold file: one object per line with id, text, categories, steps, intent.

    Raises:
        GoldError: the file cannot be read, a line is not a JSON object, a field is
            missing or of the wrong type, or a code is not in the codebook.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except OSError as error:
        raise GoldError(
            f"berkas gold {path} tidak bisa dibaca ({describe_os_error(error)}); periksa path-nya"
        ) from error
    except UnicodeDecodeError as error:
        raise GoldError(
            f"berkas gold {path} bukan teks UTF-8; simpan ulang sebagai UTF-8"
        ) from error

    gold: list[GoldComment] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path} baris {number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise GoldError(
                f"{where}: bukan JSON yang valid ({error.msg}); satu objek JSON per baris"
            ) from error
        if not isinstance(row, dict):
            raise GoldError(f"{where}: harus berupa objek JSON, bukan {type(row).__name__}")
        gold.append(_gold_row(row, where, codebook))
    if not gold:
        raise GoldError(f"berkas gold {path} kosong; isi satu komentar berlabel per baris")
    return gold


def _gold_row(row: dict[str, Any], where: str, codebook: Codebook) -> GoldComment:
    for key in ("id", "text", "categories", "steps", "intent"):
        if key not in row:
            raise GoldError(
                f"{where}: kolom {key!r} tidak ada; wajib ada id, text, categories, steps, intent"
            )
    if not isinstance(row["text"], str):
        raise GoldError(f"{where}: 'text' harus berupa teks")
    codes: dict[str, frozenset[str]] = {}
    for key, known in (("categories", codebook.categories), ("steps", codebook.steps)):
        value = row[key]
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            raise GoldError(f'{where}: {key!r} harus berupa daftar kode, misalnya ["kuota"]')
        unknown = [code for code in value if code not in known]
        if unknown:
            raise GoldError(
                f"{where}: kode {', '.join(unknown)} tidak ada di codebook untuk {key!r}; "
                f"gunakan salah satu dari {', '.join(known)}"
            )
        codes[key] = frozenset(value)
    intent = row["intent"]
    if intent not in codebook.intents:
        raise GoldError(
            f"{where}: intent {intent!r} tidak dikenal; "
            f"gunakan salah satu dari {', '.join(codebook.intents)}"
        )
    return GoldComment(str(row["id"]), row["text"], codes["categories"], codes["steps"], intent)


def _scores(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _multilabel(
    gold: list[frozenset[str]], predicted: list[frozenset[str]], codes: list[str]
) -> dict[str, Any]:
    per_code: dict[str, dict[str, float]] = {}
    totals = Counter[str]()
    for code in codes:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if code in g and code in p)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if code not in g and code in p)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if code in g and code not in p)
        per_code[code] = {**_scores(tp, fp, fn), "support": tp + fn}
        totals.update(tp=tp, fp=fp, fn=fn)
    with_support = [scores["f1"] for scores in per_code.values() if scores["support"]]
    return {
        "per_code": per_code,
        "micro": _scores(totals["tp"], totals["fp"], totals["fn"]),
        "macro_f1": sum(with_support) / len(with_support) if with_support else 0.0,
    }


def _cohen_kappa(gold: list[str], predicted: list[str]) -> float:
    total = len(gold)
    observed = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p) / total
    gold_counts, predicted_counts = Counter(gold), Counter(predicted)
    expected = sum(gold_counts[label] * predicted_counts[label] for label in gold_counts) / total**2
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def evaluate(gold: list[GoldComment], classifier: Classifier) -> dict[str, Any]:
    """Code every gold comment and compare the codes with the gold labels.

    Returns:
        A dict with ``categories`` and ``steps`` (per-code precision, recall, f1 and
        support, plus micro scores and macro F1), ``intent`` (accuracy, kappa),
        ``throughput`` (comments per second) and ``misses`` (one entry per comment
        with a wrong code, with the evidence).
    """
    started = time.perf_counter()
    # Coded together, as an upload is, so that the throughput is the pipeline's.
    codings: list[Coding] = classifier.classify_many([comment.text for comment in gold])
    seconds = time.perf_counter() - started

    codebook = classifier.codebook
    categories = _multilabel(
        [c.categories for c in gold],
        [frozenset(c.categories) for c in codings],
        list(codebook.categories),
    )
    steps = _multilabel(
        [c.steps for c in gold], [frozenset(c.steps) for c in codings], list(codebook.steps)
    )
    gold_intents = [comment.intent for comment in gold]
    predicted_intents = [coding.intent for coding in codings]
    accuracy = sum(1 for g, p in zip(gold_intents, predicted_intents, strict=True) if g == p) / len(
        gold
    )

    misses = []
    for comment, coding in zip(gold, codings, strict=True):
        predicted_categories, predicted_steps = set(coding.categories), set(coding.steps)
        miss = {
            "id": comment.id,
            "text": comment.text,
            "false_positive_categories": sorted(predicted_categories - comment.categories),
            "false_negative_categories": sorted(comment.categories - predicted_categories),
            "false_positive_steps": sorted(predicted_steps - comment.steps),
            "false_negative_steps": sorted(comment.steps - predicted_steps),
            "gold_intent": comment.intent,
            "predicted_intent": coding.intent,
            "evidence": [
                {"field": e.field, "code": e.code, "start": e.start, "end": e.end, "text": e.text}
                for e in coding.evidence
            ],
            "uncertain": list(coding.uncertain),
        }
        wrong = (
            any(miss[key] for key in miss if key.startswith("false_"))
            or comment.intent != coding.intent
        )
        if wrong:
            misses.append(miss)

    return {
        "comments": len(gold),
        "codebook_version": codebook.version,
        "categories": categories,
        "steps": steps,
        "intent": {"accuracy": accuracy, "kappa": _cohen_kappa(gold_intents, predicted_intents)},
        "throughput": {
            "seconds": seconds,
            "comments_per_second": len(gold) / seconds if seconds else 0.0,
        },
        "misses": misses,
    }


def _decimal(value: float) -> str:
    """Format a score with three decimals and a decimal comma, as Indonesian readers expect."""
    return format_number(value, decimals=3)


def _table(title: str, block: dict[str, Any], labels: dict[str, str]) -> list[str]:
    lines = [title, f"  {'kode':<20} {'presisi':>8} {'recall':>8} {'F1':>8} {'jumlah':>7}"]
    for code, scores in block["per_code"].items():
        lines.append(
            f"  {code:<20} {_decimal(scores['precision']):>8} {_decimal(scores['recall']):>8} "
            f"{_decimal(scores['f1']):>8} {scores['support']:>7}  {labels.get(code, '')}"
        )
    micro = block["micro"]
    lines.append(
        f"  {'mikro':<20} {_decimal(micro['precision']):>8} {_decimal(micro['recall']):>8} "
        f"{_decimal(micro['f1']):>8}"
    )
    lines.append(f"  {'F1 makro':<20} {_decimal(block['macro_f1']):>26}")
    return lines


def format_report(report: dict[str, Any], codebook: Codebook, *, show_misses: bool = True) -> str:
    """Format an ``evaluate`` report as Indonesian text for the terminal."""
    lines = [f"Evaluasi {report['comments']} komentar (codebook {report['codebook_version']})", ""]
    lines += _table(
        "Kategori", report["categories"], {c: k.label for c, k in codebook.categories.items()}
    )
    lines.append("")
    lines += _table("Langkah", report["steps"], {c: s.label for c, s in codebook.steps.items()})
    lines.append("")
    intent = report["intent"]
    lines.append(
        f"Intent: akurasi {_decimal(intent['accuracy'])}, "
        f"kappa Cohen {_decimal(intent['kappa'])}"
    )
    throughput = report["throughput"]
    lines.append(f"Kecepatan: {format_number(throughput['comments_per_second'])} komentar/detik")
    if show_misses:
        lines.append("")
        lines.append(f"Kesalahan ({len(report['misses'])} komentar):")
        for miss in report["misses"]:
            lines.append(f"- {miss['id']}: {miss['text'][:160]}")
            for key, name in (
                ("false_positive_categories", "kategori lebih"),
                ("false_negative_categories", "kategori kurang"),
                ("false_positive_steps", "langkah lebih"),
                ("false_negative_steps", "langkah kurang"),
            ):
                if miss[key]:
                    lines.append(f"    {name}: {', '.join(miss[key])}")
            if miss["gold_intent"] != miss["predicted_intent"]:
                lines.append(
                    f"    intent: gold {miss['gold_intent']}, hasil {miss['predicted_intent']}"
                )
            for item in miss["evidence"]:
                lines.append(f'    bukti {item["field"]} {item["code"]}: "{item["text"]}"')
            if miss["uncertain"]:
                lines.append(f"    belum pasti: {', '.join(miss['uncertain'])}")
    return "\n".join(lines)


def _run(args: argparse.Namespace) -> int:
    from netno.cli import CommandError

    classifier = Classifier()
    try:
        gold = read_gold(args.gold, classifier.codebook)
    except GoldError as error:
        raise CommandError(str(error)) from error
    report = evaluate(gold, classifier)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_report(report, classifier.codebook, show_misses=not args.no_misses))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``evaluate`` command."""
    parser = subparsers.add_parser(
        "evaluate",
        help="ukur hasil pengodean terhadap berkas gold (JSON Lines)",
        description=(
            "Bandingkan kode hasil aturan dengan kode manual: presisi, recall dan F1 per kategori "
            "dan per langkah, akurasi dan kappa intent, kecepatan, serta daftar kesalahan."
        ),
    )
    parser.add_argument(
        "gold",
        help="berkas JSON Lines: satu objek per baris dengan id, text, categories, steps, intent",
    )
    parser.add_argument("--json", action="store_true", help="cetak hasil sebagai JSON")
    parser.add_argument("--no-misses", action="store_true", help="jangan cetak daftar kesalahan")
    parser.set_defaults(handler=_run)
