"""Build the awkward upload files the ingest tests read; run as a script to write them to a folder.

Every builder returns ``(file_name, content)``. The comments are invented for these
tests. ``python tests/bad_inputs/make.py OUT_DIR`` writes all of them, plus a large
CSV for benchmarks with ``--large ROWS``.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

Built = tuple[str, bytes]


def empty() -> Built:
    return "kosong.csv", b""


def header_only() -> Built:
    return "hanya_judul.csv", b"review_id,text,rating,date\r\n"


def no_text_column() -> Built:
    rows = ["id,tanggal,suka", "1,2024-01-02 10:00:00,3", "2,2024-01-03 11:00:00,0", "3,,7"]
    return "tanpa_teks.csv", ("\n".join(rows) + "\n").encode()


def wrong_extension() -> Built:
    return "komentar.docx", b"Nama,Komentar\nbudi,aplikasi error terus\n"


def binary_renamed() -> Built:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    return "tangkapan_layar.csv", png


def binary_noise_renamed() -> Built:
    noise = bytes((i * 37 + 11) % 256 for i in range(3_000))
    return "acak.csv", noise


def xlsx_renamed_csv() -> Built:
    _, content = xlsx_workbook()
    return "komentar_excel.csv", content


def semicolon_decimal_comma() -> Built:
    text = (
        "Tanggal;Komentar;Rating;Suka\n"
        "12/03/2024 09:15;Antrean di kantor lama, tapi petugasnya ramah;4,0;1.234\n"
        "13/03/2024;Bayar sudah, status belum berubah;1,0;12\n"
    )
    return "titik_koma.csv", text.encode()


def utf8_bom() -> Built:
    text = "review_id,text,rating,date\nb1,Kuota habis terus 😭,2,2024-02-10 08:00:00\n"
    return "bom.csv", b"\xef\xbb\xbf" + text.encode()


def cp1252() -> Built:
    text = "Komentar,Tanggal\nPelayanan café depan kantor – cepat sekali,2024-02-11 09:00:00\n"
    return "windows.csv", text.encode("cp1252")


def utf16_excel_unicode_text() -> Built:
    # Excel's "Unicode text" export: UTF-16LE with a BOM, tab separated, CRLF.
    text = "Username\tComment\tDate\r\nrina_k\tAkhirnya dapat kuota 🙏\t2024-03-01 07:30:00\r\n"
    return "unicode_excel.txt", text.encode("utf-16")


def utf16_be() -> Built:
    text = "Komentar\tTanggal\r\nWawancara cuma lima menit\t2024-03-02 10:00:00\r\n"
    return "unicode_be.txt", b"\xfe\xff" + text.encode("utf-16-be")


def mixed_line_endings() -> Built:
    content = (
        b"review_id,text,rating,date\r\n"
        b"m1,Baris pertama CRLF,5,2024-01-01 10:00:00\n"
        b"m2,Baris kedua LF,4,2024-01-02 10:00:00\r"
        b"m3,Baris ketiga CR,3,2024-01-03 10:00:00\r\n"
    )
    return "akhir_baris.csv", content


def quoted_newlines() -> Built:
    content = (
        'review_id,text,rating,date\n'
        'q1,"Langkah 1 lancar.\nLangkah 2 gagal terus,\n""server sibuk"" katanya",'
        '2,2024-01-05 12:00:00\n'
        'q2,Normal saja,4,2024-01-06 12:00:00\n'
    )
    return "baris_dalam_kutip.csv", content.encode()


def _with_cached_values(content: bytes, sheet: str, values: dict[str, object]) -> bytes:
    """Add cached formula results, as Excel saves them; openpyxl writes formulas without."""
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == sheet:
                xml = data.decode()
                for ref, value in values.items():
                    kind = ' t="str"' if isinstance(value, str) else ""
                    xml = re.sub(
                        rf'<c r="{ref}"><f>(.*?)</f><v\s*/>',
                        rf'<c r="{ref}"{kind}><f>\1</f><v>{value}</v>',
                        xml,
                    )
                data = xml.encode()
            target.writestr(item, data)
    return output.getvalue()


def xlsx_workbook() -> Built:
    """Several sheets; the comments sit under a merged title row, with formulas and gaps."""
    workbook = openpyxl.Workbook()
    summary = workbook.active
    summary.title = "Ringkasan"
    summary.append(["Bulan", "Jumlah"])
    summary.append(["Januari", 12])
    summary.append(["Februari", 30])

    sheet = workbook.create_sheet("Komentar IG")
    sheet["A1"] = "Komentar Instagram @kanim_contoh (diekspor 2024-04-01)"
    sheet.merge_cells("A1:F1")
    sheet.append(["Username", "Komentar", None, "Tanggal", "Suka", "Panjang"])
    sheet.merge_cells("B2:C2")  # the header "Komentar" spans two columns
    sheet.append(["andi_w", "Sistem antrean online sangat membantu", None,
                  "2024-03-20 10:00:00", 4, "=LEN(B3)"])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["sinta.r", '="Kode billing "&"tidak muncul"', None, "21/03/2024 14:30", 0,
                  "=LEN(B5)"])
    sheet.append([])
    sheet.append(["dewi", None, None, "2024-03-22 09:00:00", 1, None])
    sheet.append(["yoga", "Wawancara cepat 👍", None, "2024-03-23 08:00:00", "2", "=LEN(B8)"])
    workbook.create_sheet("Catatan")["A1"] = "Lembar ini sengaja kosong."

    buffer = io.BytesIO()
    workbook.save(buffer)
    content = _with_cached_values(
        buffer.getvalue(),
        "xl/worksheets/sheet2.xml",
        {"F3": 37, "B5": "Kode billing tidak muncul", "F5": 25, "F8": 17},
    )
    return "laporan_komentar.xlsx", content


def xls_renamed_xlsx() -> Built:
    return "lama.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600


def zip_renamed_xlsx() -> Built:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("catatan.txt", "bukan buku kerja")
    return "arsip.xlsx", buffer.getvalue()


def truncated_json() -> Built:
    full = json.dumps([{"id": "1", "text": "Antrean penuh terus"}, {"id": "2", "text": "Oke"}])
    return "terpotong.json", full[: len(full) - 12].encode()


def invalid_json() -> Built:
    content = '[\n  {"id": "1", "text": "Satu"},\n  {"id": "2", "text": \'Dua\'}\n]\n'
    return "rusak.json", content.encode()


def invalid_jsonl() -> Built:
    content = (
        '{"id": "1", "text": "Satu"}\n'
        '{"id": "2", "text": "Dua"\n'
        '{"id": "3", "text": "Tiga"}\n'
    )
    return "rusak.jsonl", content.encode()


def nested_replies_json() -> Built:
    """Four levels of replies in the Instagram Graph API shape."""

    def comment(number: int, depth: int) -> dict[str, object]:
        node: dict[str, object] = {
            "id": f"c{number}",
            "text": f"Balasan tingkat {depth}: masih menunggu jadwal",
            "timestamp": f"2024-05-0{depth + 1}T03:00:00+0000",
            "username": f"pengguna_{depth}",
            "like_count": depth,
        }
        if depth < 4:
            node["replies"] = {"data": [comment(number * 10 + 1, depth + 1)]}
        return node

    payload = {"data": [comment(1, 0), {"id": "c2", "text": "Tanpa balasan", "timestamp":
                                        "2024-05-01T00:00:00+0000", "username": "tunggal"}]}
    return "balasan_bertingkat.json", json.dumps(payload).encode()


def dates_and_time_zones() -> Built:
    rows = [
        ("d1", "Instagram UTC malam", "2024-01-31T20:00:00Z"),
        ("d2", "Offset tanpa titik dua", "2024-01-31T20:00:00+0000"),
        ("d3", "Offset WIB", "2024-02-01T03:00:00+07:00"),
        ("d4", "Tanpa zona berarti WIB", "2024-02-01 03:00:00"),
        ("d5", "Format Indonesia", "01/02/2024 03:00"),
        ("d6", "Epoch detik", "1706731200"),
        ("d7", "Epoch milidetik", "1706731200000"),
        ("d8", "Milidetik dan Z", "2024-01-31T20:00:00.000Z"),
        ("d9", "Tanggal tidak dikenal", "kemarin sore"),
    ]
    lines = ["review_id,text,date"] + [f"{i},{t},{d}" for i, t, d in rows]
    return "tanggal_campur.csv", ("\n".join(lines) + "\n").encode()


def too_many_rows(rows: int = 1_000) -> Built:
    lines = ["review_id,text,rating,date"]
    lines += [f"r{i},Komentar nomor {i} tentang kuota,3,2024-01-01 10:00:00" for i in range(rows)]
    return "banyak_baris.csv", ("\n".join(lines) + "\n").encode()


def long_comment(length: int = 100_000) -> Built:
    text = ("antrean " * (length // 8 + 1))[:length]
    content = f'review_id,text,date\nL1,"{text}",2024-01-01 10:00:00\n'
    return "komentar_panjang.csv", content.encode()


def emoji_only() -> Built:
    content = (
        "review_id,text,rating,date\n"
        "e1,😡😡😡,1,2024-01-01 10:00:00\n"
        "e2,👍🏽,5,2024-01-02 10:00:00\n"
    )
    return "emoji.csv", content.encode()


def meta_dyi_mojibake() -> Built:
    """Meta "Download your information": UTF-8 bytes escaped as Latin-1 code points."""
    text = "Antrean paspor lancar 😍 terima kasih"
    broken = text.encode("utf-8").decode("latin-1")
    payload = {"comments_media_comments": [
        {"string_map_data": {"Comment": {"value": broken}, "Time": {"timestamp": 1706731200}}}
    ]}
    return "post_comments_1.json", json.dumps(payload).encode()


BUILDERS: tuple[Callable[[], Built], ...] = (
    empty, header_only, no_text_column, wrong_extension, binary_renamed, binary_noise_renamed,
    xlsx_renamed_csv, semicolon_decimal_comma, utf8_bom, cp1252, utf16_excel_unicode_text,
    utf16_be, mixed_line_endings, quoted_newlines, xlsx_workbook, xls_renamed_xlsx,
    zip_renamed_xlsx, truncated_json, invalid_json, invalid_jsonl, nested_replies_json,
    dates_and_time_zones, too_many_rows, long_comment, emoji_only, meta_dyi_mojibake,
)


def write_all(directory: Path, *, large_rows: int = 0) -> list[Path]:
    """Write every bad input (and a large CSV when ``large_rows``) into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for build in BUILDERS:
        name, content = build()
        path = directory / name
        path.write_bytes(content)
        written.append(path)
    if large_rows:
        name, content = too_many_rows(large_rows)
        path = directory / f"besar_{large_rows}.csv"
        path.write_bytes(content)
        written.append(path)
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--large", type=int, default=0, help="rows of an extra large CSV")
    arguments = parser.parse_args()
    for written_path in write_all(arguments.out_dir, large_rows=arguments.large):
        print(written_path)
