"""Tests for measuring the classifier against a gold file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netno.classify import Classifier
from netno.cli import main
from netno.codebook import default_codebook
from netno.evaluate import GoldError, evaluate, format_report, read_gold

# The fixture's last comment (g12) carries a deliberately wrong intent label, so that
# the report always has exactly one miss to show.
GOLD = Path(__file__).parent / "fixtures" / "gold_small.jsonl"


@pytest.fixture(scope="module")
def report() -> dict:
    classifier = Classifier()
    return evaluate(read_gold(GOLD, classifier.codebook), classifier)


def test_read_gold_rows() -> None:
    gold = read_gold(GOLD, default_codebook())
    assert len(gold) == 12
    assert gold[0].id == "g01"
    assert gold[0].categories == frozenset({"kuota"})
    assert gold[8].categories == frozenset({"download_pdf", "server_error"})
    assert gold[4].intent == "pertanyaan"


def test_evaluate_scores(report: dict) -> None:
    assert report["comments"] == 12
    assert report["categories"]["micro"]["f1"] == pytest.approx(1.0)
    assert report["categories"]["per_code"]["kuota"]["support"] == 2
    assert report["categories"]["per_code"]["reschedule"]["support"] == 0
    assert report["steps"]["micro"]["f1"] == pytest.approx(1.0)
    assert report["intent"]["accuracy"] == pytest.approx(11 / 12)
    assert 0 < report["intent"]["kappa"] < 1
    assert report["throughput"]["comments_per_second"] > 0


def test_evaluate_lists_misses_with_evidence(report: dict) -> None:
    assert [miss["id"] for miss in report["misses"]] == ["g12"]
    miss = report["misses"][0]
    assert miss["gold_intent"] == "pertanyaan"
    assert miss["predicted_intent"] == "keluhan"
    assert {item["code"] for item in miss["evidence"]} >= {"kode_billing", "kadaluwarsa"}


def test_evaluate_counts_false_positives(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    row = {"id": "x", "text": "error terus", "categories": [], "steps": [], "intent": "keluhan"}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    classifier = Classifier()
    result = evaluate(read_gold(path, classifier.codebook), classifier)
    server_error = result["categories"]["per_code"]["server_error"]
    assert server_error["precision"] == 0.0
    assert result["misses"][0]["false_positive_categories"] == ["server_error"]


def test_format_report_in_indonesian(report: dict) -> None:
    text = format_report(report, default_codebook())
    assert "Kategori" in text
    assert "Langkah" in text
    assert "kappa Cohen" in text
    assert "komentar/detik" in text
    assert "- g12:" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json}\n", "baris 1: bukan JSON yang valid"),
        ("[1, 2]\n", "baris 1: harus berupa objek JSON"),
        ('{"id": "a", "text": "x", "categories": [], "steps": []}\n', "kolom 'intent' tidak ada"),
        (
            '{"id": "a", "text": "x", "categories": ["antre"], "steps": [], "intent": "keluhan"}\n',
            "kode antre tidak ada di codebook",
        ),
        (
            '{"id": "a", "text": "x", "categories": "kuota", "steps": [], "intent": "keluhan"}\n',
            "harus berupa daftar kode",
        ),
        (
            '{"id": "a", "text": "x", "categories": [], "steps": [], "intent": "marah"}\n',
            "intent 'marah' tidak dikenal",
        ),
        ("\n\n", "kosong"),
    ],
)
def test_read_gold_rejects_bad_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GoldError, match=message):
        read_gold(path, default_codebook())


def test_read_gold_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match="tidak bisa dibaca"):
        read_gold(tmp_path / "tidak-ada.jsonl", default_codebook())


def test_evaluate_command_prints_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(GOLD)]) == 0
    output = capsys.readouterr().out
    assert "Evaluasi 12 komentar" in output
    assert "Intent: akurasi 0,917" in output


def test_evaluate_command_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(GOLD), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {
        "comments",
        "codebook_version",
        "categories",
        "steps",
        "intent",
        "throughput",
        "misses",
    }
    assert set(data["categories"]["per_code"]["kuota"]) == {"precision", "recall", "f1", "support"}


def test_evaluate_command_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text("bukan json\n", encoding="utf-8")
    assert main(["evaluate", str(path)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("netno: ")
    assert "bukan JSON yang valid" in error
    assert "\n" not in error
