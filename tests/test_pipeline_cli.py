"""The classify, import and recode commands, run through the real command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from netno.cli import main
from netno.store import Store
from tests.conftest import ROOT

CSV_EXPORT = (
    "review_id,text,rating,date\n"
    "x1,Sudah bayar tapi status masih menunggu pembayaran,1,2026-05-02 10:00:00\n"
    'x2,=HYPERLINK("http://contoh.invalid") aplikasi error terus,1,2026-05-03 11:00:00\n'
    "x3,Mantap pelayanannya cepat,5,2026-05-04 12:00:00\n"
)


@pytest.fixture
def export_path(tmp_path, monkeypatch):
    monkeypatch.setenv("NETNO_SECRET_KEY", "kunci-uji-perintah-yang-panjang")
    path = tmp_path / "ulasan.csv"
    path.write_text(CSV_EXPORT, encoding="utf-8")
    return path


def _classify_in_subprocess(export: Path, output: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m netno classify EXPORT -o OUTPUT`` as a user would, from the repository."""
    return subprocess.run(
        [sys.executable, "-m", "netno", "classify", str(export), "-o", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

def test_classify_writes_jsonl_with_lists(export_path, tmp_path, capsys) -> None:
    output = tmp_path / "hasil.jsonl"

    code = main(["classify", str(export_path), "-o", str(output)])
    rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]

    assert code == 0
    assert [row["id"] for row in rows] == ["x1", "x2", "x3"]
    assert rows[0]["categories"] == ["status_pembayaran"]
    assert rows[0]["stages"] == ["transact"]
    assert rows[2]["intent"] == "apresiasi"
    assert rows[0]["evidence"][0]["text"]
    assert "3 komentar dikodekan" in capsys.readouterr().out


def test_classify_xlsx_neutralises_formulas(export_path, tmp_path) -> None:
    output = tmp_path / "hasil.xlsx"

    main(["classify", str(export_path), "-o", str(output)])
    sheet = openpyxl.load_workbook(output).active
    texts = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]

    assert texts[1].startswith("'=")
    assert sheet.cell(row=1, column=3).value == "categories"


def test_classify_csv_joins_codes(export_path, tmp_path) -> None:
    output = tmp_path / "hasil.csv"

    main(["classify", str(export_path), "-o", str(output)])
    content = output.read_text(encoding="utf-8-sig")

    assert "status_pembayaran" in content
    assert "transact" in content


def test_classify_unknown_output_rejected(export_path, tmp_path, capsys) -> None:
    code = main(["classify", str(export_path), "-o", str(tmp_path / "hasil.pdf")])

    assert code == 2
    assert "tidak didukung" in capsys.readouterr().err


def test_classify_bad_input_one_line_reason(tmp_path) -> None:
    bad = tmp_path / "kosong.csv"
    bad.write_bytes(b"")

    finished = _classify_in_subprocess(bad, tmp_path / "x.jsonl")

    assert finished.returncode == 2
    assert "Traceback" not in finished.stderr
    assert len(finished.stderr.strip().splitlines()) == 1


def test_import_then_report_from_store(export_path, tmp_path, sqlite_url, capsys) -> None:
    report = tmp_path / "laporan.html"

    imported = main(["import", str(export_path), "--db", sqlite_url])
    reported = main(["report", "--db", sqlite_url, "-o", str(report)])

    assert imported == 0
    assert reported == 0
    assert Store(sqlite_url).comment_count() == 3
    assert "Status pembayaran" in report.read_text(encoding="utf-8")


def test_import_bad_file_exit_code(tmp_path, sqlite_url, capsys) -> None:
    bad = tmp_path / "rusak.json"
    bad.write_text('{"data": [', encoding="utf-8")

    code = main(["import", str(bad), "--db", sqlite_url])

    assert code == 1
    assert "Tidak ada yang disimpan" in capsys.readouterr().out
    assert Store(sqlite_url).comment_count() == 0


def test_recode_prints_count(export_path, sqlite_url, capsys) -> None:
    main(["import", str(export_path), "--db", sqlite_url])

    code = main(["recode", "--db", sqlite_url])

    assert code == 0
    assert "3 komentar dikodekan ulang" in capsys.readouterr().out


def test_classify_guessed_column_needs_confirmation(tmp_path, capsys) -> None:
    path = tmp_path / "lembar.csv"
    path.write_text(
        "nomor,catatan\n1,aplikasi keluar sendiri terus tiap dibuka dari kemarin\n"
        "2,kode otp tidak pernah masuk ke hp saya sudah coba lima kali\n",
        encoding="utf-8",
    )
    output = tmp_path / "hasil.jsonl"

    refused = main(["classify", str(path), "-o", str(output)])
    message = capsys.readouterr().err
    accepted = main(["classify", str(path), "-o", str(output), "--text-column", "catatan"])

    assert refused == 2
    assert "--text-column" in message
    assert accepted == 0
    assert output.read_text(encoding="utf-8").count("\n") == 2


def test_classify_refuses_to_overwrite_input(export_path, capsys) -> None:
    original = export_path.read_bytes()

    code = main(["classify", str(export_path), "-o", str(export_path)])

    assert code == 2
    assert "tertimpa" in capsys.readouterr().err
    assert export_path.read_bytes() == original


def test_words_refuses_to_overwrite_input(export_path, capsys) -> None:
    original = export_path.read_bytes()

    code = main(["words", str(export_path), "-o", str(export_path)])

    assert code == 2
    assert export_path.read_bytes() == original


def test_read_commands_reject_missing_database(tmp_path, capsys) -> None:
    missing = tmp_path / "salah-ketik.sqlite"

    for command in (["batches"], ["stats"], ["recode"], ["report", "-o", "x.html"]):
        code = main([*command, "--db", str(missing)])
        assert code == 2, command
        assert "tidak ada" in capsys.readouterr().err
    assert not missing.exists()


def test_import_rejects_missing_folder(export_path, tmp_path, capsys) -> None:
    target = tmp_path / "tidak-ada" / "netno.sqlite"

    code = main(["import", str(export_path), "--db", str(target)])

    assert code == 2
    assert not target.parent.exists()


def test_short_secret_key_is_one_line(export_path, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("NETNO_SECRET_KEY", "pendek")

    finished = _classify_in_subprocess(export_path, tmp_path / "hasil.jsonl")

    assert finished.returncode == 2
    assert "Traceback" not in finished.stderr
    assert "NETNO_SECRET_KEY" in finished.stderr


def test_codebook_binary_file_rejected(export_path, tmp_path, capsys) -> None:
    junk = tmp_path / "codebook.toml"
    junk.write_bytes(b"\xff\xfe\x00\x81 bukan teks")

    code = main(
        ["classify", str(export_path), "-o", str(tmp_path / "h.jsonl"), "--codebook", str(junk)]
    )

    assert code == 2
    assert "UTF-8" in capsys.readouterr().err


def test_help_is_indonesian(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["classify", "--help"])

    help_text = capsys.readouterr().out
    assert help_text.startswith("penggunaan:")
    assert "pilihan:" in help_text
    assert "show this help" not in help_text


def test_report_refuses_to_overwrite_input(export_path, capsys) -> None:
    original = export_path.read_bytes()
    same = export_path.with_suffix(".html")
    same.write_bytes(original)

    code = main(["report", str(same), "-o", str(same)])

    assert code == 2
    assert same.read_bytes() == original


def _export_with_bad_dates(tmp_path, bad_rows: int):
    lines = ["review_id,text,rating,date"]
    for number in range(1, bad_rows + 1):
        lines.append(f"b{number},Aplikasi error terus waktu bayar nomor {number},1,kemarin sore")
    lines.append("ok1,Mantap pelayanannya cepat,5,2026-05-04 12:00:00")
    path = tmp_path / "tanggal_rusak.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_lists_row_notes(export_path, tmp_path, sqlite_url, capsys) -> None:
    path = _export_with_bad_dates(tmp_path, 2)

    code = main(["import", str(path), "--db", sqlite_url])
    lines = capsys.readouterr().out.splitlines()

    assert code == 0
    assert "2 diubah" in lines[0]
    assert lines[1].startswith("  baris 1: Tanggal 'kemarin sore' tidak terbaca")
    assert lines[2].startswith("  baris 2: Tanggal 'kemarin sore' tidak terbaca")
    assert not any("catatan lain" in line for line in lines)


def test_import_caps_row_notes_at_ten(export_path, tmp_path, sqlite_url, capsys) -> None:
    path = _export_with_bad_dates(tmp_path, 13)

    main(["import", str(path), "--db", sqlite_url])
    lines = capsys.readouterr().out.splitlines()
    note_lines = [line for line in lines if line.startswith("  baris ")]

    assert len(note_lines) == 10
    assert note_lines[-1].startswith("  baris 10: ")
    assert "  … dan 3 catatan lain" in lines


def test_classify_lists_row_notes(export_path, tmp_path, capsys) -> None:
    path = _export_with_bad_dates(tmp_path, 1)

    code = main(["classify", str(path), "-o", str(tmp_path / "hasil.jsonl")])
    lines = capsys.readouterr().out.splitlines()

    assert code == 0
    assert "2 komentar dikodekan" in lines[0]
    assert lines[1].startswith("  baris 1: Tanggal 'kemarin sore' tidak terbaca")
    assert len(lines) == 2


def _export_with_personal_cells(tmp_path: Path) -> Path:
    """An invented export whose date and rating cells contain phone numbers."""
    path = tmp_path / "pribadi.csv"
    path.write_text(
        "text,rating,date\n"
        "antrian verifikasi lama,081234567890,wa 081299998888\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("command", ["classify", "import"])
def test_row_notes_mask_phone_numbers(command, export_path, tmp_path, sqlite_url, capsys) -> None:
    path = _export_with_personal_cells(tmp_path)
    target = ["-o", str(tmp_path / "hasil.jsonl")] if command == "classify" else [
        "--db", sqlite_url,
    ]

    code = main([command, str(path), *target])
    output = capsys.readouterr().out

    assert code == 0
    assert "Tanggal 'wa 08" in output
    assert "Rating '08" in output
    assert "081299998888" not in output
    assert "081234567890" not in output
    assert "34567" not in output
