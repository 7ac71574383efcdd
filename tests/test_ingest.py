"""Tests for netno.ingest: export formats, awkward files and the errors users see."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from datetime import date

import openpyxl
import pandas as pd
import pytest
from bad_inputs import make

from netno import ingest
from netno.ingest import (
    COMMENT_COLUMNS,
    JAKARTA,
    MAX_TEXT_CHARS,
    IngestError,
    preview,
    read_comments,
    read_path,
)
from netno.pipeline import import_bytes
from netno.store import Store


def _read(built: tuple[str, bytes], **kwargs) -> ingest.IngestResult:
    name, content = built
    return read_comments(content, name, **kwargs)


def _utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text).tz_convert("UTC")


# --------------------------------------------------------------------------- frame shape

def test_read_comments_frame_columns_and_dtypes():
    result = _read(make.emoji_only())
    frame = result.comments
    assert tuple(frame.columns) == COMMENT_COLUMNS
    assert str(frame["created_at"].dtype) == "datetime64[ns, UTC]"
    assert str(frame["likes"].dtype) == "Int64"
    assert str(frame["rating"].dtype) == "Int64"
    assert frame["row_number"].tolist() == [1, 2]


# --------------------------------------------------------------------------- export formats

_GRAPH_API = {
    "data": [
        {
            "id": "17900000000000001",
            "text": "Min, kuota Karawang untuk minggu depan kapan dibuka?",
            "timestamp": "2025-01-03T10:15:30+0000",
            "username": "fajar.contoh",
            "like_count": 4,
            "hidden": False,
            "from": {"id": "901", "username": "fajar.contoh"},
            "media": {"id": "555", "media_product_type": "FEED"},
            "replies": {"data": [
                {
                    "id": "17900000000000002",
                    "text": "Kuota dibuka tiap Jumat pukul 15.00 ya kak",
                    "timestamp": "2025-01-03T11:00:00+0000",
                    "from": {"id": "902", "username": "kanim_contoh"},
                    "parent_id": "17900000000000001",
                    "like_count": 1,
                }
            ]},
        },
        {
            "id": "17900000000000003",
            "text": "Terima kasih, pelayanannya cepat",
            "timestamp": "2025-01-04T02:00:00+0000",
            "username": "lina_99",
            "like_count": 0,
        },
    ]
}


def test_read_comments_instagram_graph_api():
    result = read_comments(json.dumps(_GRAPH_API).encode(), "komentar_ig.json")
    frame = result.comments
    assert result.source_format == "json:instagram-graph"
    assert frame["source_id"].tolist() == [
        "17900000000000001", "17900000000000002", "17900000000000003"
    ]
    assert frame["parent_id"].tolist() == [None, "17900000000000001", None]
    assert frame["author"].tolist() == ["fajar.contoh", "kanim_contoh", "lina_99"]
    assert frame["likes"].tolist() == [4, 1, 0]
    assert frame["created_at"][0] == _utc("2025-01-03T10:15:30Z")
    assert set(frame["platform"]) == {"instagram"}
    assert result.columns.confident


def test_read_comments_instagram_graph_api_plain_list():
    payload = _GRAPH_API["data"]
    result = read_comments(json.dumps(payload).encode(), "komentar_ig.json")
    assert len(result.comments) == 3


def test_read_comments_instagram_graph_api_media_object():
    payload = {"id": "555", "comments": {"data": _GRAPH_API["data"]}}
    result = read_comments(json.dumps(payload).encode(), "media.json")
    assert result.comments["source_id"].tolist()[0] == "17900000000000001"
    assert len(result.comments) == 3


_INSTALOADER = [
    {
        "id": 18000000000000001,
        "created_at": 1706731200,
        "text": "Sudah bayar tapi status masih menunggu pembayaran",
        "owner": {"id": "71", "username": "rudi.h", "is_verified": False},
        "likes_count": 2,
        "answers": [
            {
                "id": 18000000000000002,
                "created_at": 1706734800,
                "text": "Sama kak, tunggu 1x24 jam",
                "owner": {"id": "72", "username": "tika"},
                "likes_count": 0,
            }
        ],
    }
]


def test_read_comments_instaloader():
    result = read_comments(json.dumps(_INSTALOADER).encode(), "2024-02-01_UTC_comments.json")
    frame = result.comments
    assert result.source_format == "json:instaloader"
    assert frame["source_id"].tolist() == ["18000000000000001", "18000000000000002"]
    assert frame["parent_id"].tolist() == [None, "18000000000000001"]
    assert frame["author"].tolist() == ["rudi.h", "tika"]
    assert frame["created_at"][0] == _utc("2024-01-31T20:00:00Z")
    assert frame["likes"].tolist() == [2, 0]


_APIFY = [
    {
        "postUrl": "https://www.instagram.com/p/CONTOH1/",
        "id": "18100000000000001",
        "text": "Aplikasinya force close pas upload foto KTP",
        "ownerUsername": "bayu_p",
        "ownerProfilePicUrl": "https://example.invalid/pic.jpg",
        "timestamp": "2024-06-10T13:30:39.000Z",
        "repliesCount": 1,
        "likesCount": 7,
        "owner": {"id": "81", "username": "bayu_p", "is_verified": False},
        "replies": [
            {
                "id": "18100000000000002",
                "text": "Coba hapus cache dulu",
                "ownerUsername": "nadia.s",
                "timestamp": "2024-06-10T14:00:00.000Z",
                "likesCount": 1,
                "owner": {"id": "82", "username": "nadia.s"},
                "replies": [],
            }
        ],
    }
]


def test_read_comments_apify_json():
    result = read_comments(json.dumps(_APIFY).encode(), "dataset_instagram-comments.json")
    frame = result.comments
    assert result.source_format == "json:apify"
    assert frame["author"].tolist() == ["bayu_p", "nadia.s"]
    assert frame["parent_id"].tolist() == [None, "18100000000000001"]
    assert frame["likes"].tolist() == [7, 1]
    assert frame["created_at"][0] == _utc("2024-06-10T13:30:39Z")


def test_read_comments_apify_csv_flattened_replies():
    header = (
        "postUrl,id,text,ownerUsername,timestamp,likesCount,owner/username,"
        "replies/0/id,replies/0/text,replies/0/ownerUsername,replies/0/timestamp,"
        "replies/1/id,replies/1/text,replies/1/ownerUsername,replies/1/timestamp"
    )
    row1 = (
        "https://www.instagram.com/p/CONTOH2/,c1,Jadwal wawancara bisa diganti?,eko_w,"
        "2024-07-01T01:00:00.000Z,3,eko_w,c2,Bisa lewat menu jadwal ulang,maya.r,"
        "2024-07-01T02:00:00.000Z,c3,Saya juga mau tanya,joko,2024-07-01T03:00:00.000Z"
    )
    row2 = (
        "https://www.instagram.com/p/CONTOH2/,c4,Mantap prosesnya,sri_a,"
        "2024-07-02T01:00:00.000Z,0,sri_a,,,,,,,,"
    )
    content = "\n".join([header, row1, row2]).encode()
    result = read_comments(content, "apify.csv")
    frame = result.comments
    assert result.source_format == "csv:apify"
    assert frame["source_id"].tolist() == ["c1", "c2", "c3", "c4"]
    assert frame["parent_id"].tolist() == [None, "c1", "c1", None]
    assert frame["author"].tolist() == ["eko_w", "maya.r", "joko", "sri_a"]
    assert frame["row_number"].tolist() == [1, 1, 1, 2]
    assert set(frame["platform"]) == {"instagram"}


_EXPORTCOMMENTS_HEADER = [
    None, None, "Name", "Username", "Profile ID", "Date", "Likes", "Comment", "User Verified",
    "Thumbnail", "Comment ID", "Profile URL", "Comment URL",
]
_EXPORTCOMMENTS_ROWS = [
    [None, None, "Putri Ayu", "putri.ayu", "6001", "2025-08-30 17:40:39", "5",
     "Kenapa foto ditolak terus ya?", "No", "", "9001",
     "https://www.instagram.com/putri.ayu", "https://www.instagram.com/p/X/c/9001"],
    [None, None, "hendra_k", "", "6002", "2025-08-31 08:00:00", "0",
     "Petugas loket 2 sangat membantu", "No", "", "9002",
     "https://www.instagram.com/hendra_k", "https://www.instagram.com/p/X/c/9002"],
]


def test_read_comments_exportcomments_csv():
    lines = [",".join("" if v is None else v for v in row)
             for row in [_EXPORTCOMMENTS_HEADER, *_EXPORTCOMMENTS_ROWS]]
    result = read_comments(("\n".join(lines) + "\n").encode(), "exportcomments.csv")
    frame = result.comments
    assert result.source_format == "csv:exportcomments"
    assert result.columns.text == "Comment"
    assert frame["source_id"].tolist() == ["9001", "9002"]
    # Date is WIB: 17:40:39 in Jakarta is 10:40:39 UTC.
    assert frame["created_at"][0] == _utc("2025-08-30T10:40:39Z")
    # The handle may sit under Name when Username is empty.
    assert frame["author"].tolist() == ["putri.ayu", "hendra_k"]
    assert set(frame["platform"]) == {"instagram"}


def test_read_comments_exportcomments_xlsx_title_row():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Export Comments - Instagram post", None, None])
    sheet.append([])
    sheet.append(_EXPORTCOMMENTS_HEADER)
    for row in _EXPORTCOMMENTS_ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read_comments(buffer.getvalue(), "exportcomments.xlsx")
    frame = result.comments
    assert result.source_format == "xlsx:exportcomments"
    assert frame["text"].tolist() == [
        "Kenapa foto ditolak terus ya?", "Petugas loket 2 sangat membantu"
    ]
    assert frame["row_number"].tolist() == [1, 2]


_PLAY_CSV = (
    "reviewId,userName,userImage,content,score,thumbsUpCount,reviewCreatedVersion,at,"
    "replyContent,repliedAt,appVersion\n"
    "gp-001,Wulan Sari,https://example.invalid/a.png,Aplikasi sering logout sendiri,2,15,"
    "3.1.0,2023-11-05 21:10:00,,,3.1.0\n"
    "gp-002,Agus,https://example.invalid/b.png,Mudah dan cepat,5,0,3.1.0,"
    "2023-11-06 07:00:00,Terima kasih,2023-11-06 09:00:00,3.1.0\n"
)


def test_read_comments_google_play():
    result = read_comments(_PLAY_CSV.encode(), "reviews_id.go.imigrasi.paspor_online.csv")
    frame = result.comments
    assert result.source_format == "csv:google-play"
    assert result.columns.text == "content"
    assert frame["rating"].tolist() == [2, 5]
    assert frame["likes"].tolist() == [15, 0]
    assert frame["author"].tolist() == ["Wulan Sari", "Agus"]
    # "at" has no zone: 21:10 WIB is 14:10 UTC.
    assert frame["created_at"][0] == _utc("2023-11-05T14:10:00Z")
    assert set(frame["platform"]) == {"playstore"}


def test_read_comments_google_play_jsonl():
    lines = [
        json.dumps({"reviewId": "gp-9", "userName": "Rina", "content": "Bagus", "score": 4,
                    "thumbsUpCount": 1, "at": "2023-01-01 10:00:00"}),
        json.dumps({"reviewId": "gp-10", "userName": "Dodi", "content": "Lemot", "score": 1,
                    "thumbsUpCount": 0, "at": "2023-01-02 10:00:00"}),
    ]
    result = read_comments("\n".join(lines).encode(), "ulasan.jsonl")
    assert result.source_format == "jsonl:google-play"
    assert result.comments["rating"].tolist() == [4, 1]


def test_read_comments_jsonl_line_separators():
    # JSON allows U+2028, U+2029 and U+0085 raw inside strings. Only "\n" ends a record.
    lines = [
        json.dumps({"reviewId": f"gp-{number}", "content": f"Antrean\u2028penuh{mark}lagi"},
                   ensure_ascii=False)
        for number, mark in enumerate(("\u2029", "\x85", " "))
    ]
    result = read_comments("\r\n".join(lines).encode(), "ulasan.jsonl")
    assert result.comments["source_id"].tolist() == ["gp-0", "gp-1", "gp-2"]
    assert result.comments["text"].str.startswith("Antrean\u2028penuh").all()


def test_read_comments_json_lone_surrogates():
    # An ASCII-only export escapes emoji as surrogate pairs, which must stay whole. A
    # lone surrogate cannot be stored as UTF-8, so it is replaced in values and keys.
    content = (
        b'[{"id": "k1", "text": "OTP tidak masuk \\ud83d\\ude22 \\ud800", '
        b'"username": "tono\\udc00", "catatan\\udfff": "x"}]'
    )
    result = read_comments(content, "komentar.json")
    text = result.comments["text"].iloc[0]
    assert text == "OTP tidak masuk \U0001f622 \ufffd"
    text.encode("utf-8")  # raises if a surrogate were left


def test_read_comments_csv_stray_nul():
    content = b'review_id,text\nr1,"Kode billing\x00 hilang"\nr2,Oke\n'
    result = read_comments(content, "ulasan.csv")
    assert result.comments["text"].tolist() == ["Kode billing hilang", "Oke"]


def test_read_comments_netno_csv():
    content = (
        "review_id,text,rating,date\n"
        "r1,Verifikasi wajah gagal terus,1,2023-12-31 17:14:25\n"
        "r2,Oke,5,2023-12-30 08:00:00\n"
    )
    result = read_comments(content.encode(), "ulasan.csv")
    frame = result.comments
    assert result.source_format == "csv:netno"
    assert frame["source_id"].tolist() == ["r1", "r2"]
    assert frame["rating"].tolist() == [1, 5]
    assert set(frame["platform"]) == {"playstore"}
    assert result.columns.confident


def test_read_comments_unknown_sheet_guesses_text_by_content():
    content = (
        "No,Catatan Warga,Kapan\n"
        "1,Antrean di kantor imigrasi sudah lebih tertib,03/02/2024 10:00\n"
        "2,Mohon tambah kuota hari Sabtu,04/02/2024 11:30\n"
    )
    result = read_comments(content.encode(), "survei.csv")
    assert result.columns.text == "Catatan Warga"
    assert result.columns.date == "Kapan"
    assert result.columns.confident is False
    assert result.comments["created_at"][1] == _utc("2024-02-04T04:30:00Z")
    assert result.source_format == "csv:umum"


def test_read_comments_column_override():
    content = "a,b\nsatu dua tiga,empat lima enam\nbaris dua,isi kedua\n"
    result = read_comments(content.encode(), "bebas.csv", text_column="b")
    assert result.comments["text"].tolist() == ["empat lima enam", "isi kedua"]
    assert result.columns.text == "b"


def test_read_comments_override_unknown_column():
    with pytest.raises(IngestError, match=r"Kolom 'ulasan' tidak ada.*'a', 'b'"):
        read_comments(b"a,b\nx y,z w\n", "bebas.csv", text_column="ulasan")


_OVERRIDE_CSV = b"nama,komentar,tanggal\nani,Antrean lama sekali,2024-01-01 10:00:00\n"


def test_read_comments_override_ignores_case():
    result = read_comments(_OVERRIDE_CSV, "a.csv", text_column="KOMENTAR", date_column="Tanggal")

    assert result.columns.text == "komentar"
    assert result.columns.date == "tanggal"
    assert result.comments["text"].tolist() == ["Antrean lama sekali"]


def test_read_comments_override_case_ambiguous():
    data = b"Komentar,KOMENTAR\nsatu dua,tiga empat\n"
    with pytest.raises(IngestError, match=r"Kolom 'komentar' tidak ada.*persis"):
        read_comments(data, "dua.csv", text_column="komentar")


def test_read_comments_date_override_is_text_column():
    with pytest.raises(IngestError) as caught:
        read_comments(_OVERRIDE_CSV, "a.csv", date_column="komentar")

    message = str(caught.value)
    assert "dipilih sebagai kolom tanggal" in message
    assert "harus berbeda" in message
    assert "tidak ditemukan" not in message


def test_read_comments_same_column_for_two_roles():
    with pytest.raises(IngestError, match=r"kolom teks dan kolom tanggal sekaligus"):
        read_comments(_OVERRIDE_CSV, "a.csv", text_column="komentar", date_column="KOMENTAR")


def test_read_comments_meta_dyi_mojibake_repaired():
    result = _read(make.meta_dyi_mojibake())
    assert result.comments["text"][0] == "Antrean paspor lancar 😍 terima kasih"
    assert result.source_format == "json:meta-dyi"


# --------------------------------------------------------------------------- bad inputs

def test_read_comments_empty_file():
    with pytest.raises(IngestError, match="kosong"):
        _read(make.empty())


def test_read_comments_header_only():
    with pytest.raises(IngestError, match=r"hanya berisi baris judul kolom.*'review_id'"):
        _read(make.header_only())


def test_read_comments_no_text_column():
    with pytest.raises(IngestError) as caught:
        _read(make.no_text_column())
    message = str(caught.value)
    assert "Kolom teks komentar tidak ditemukan" in message
    assert "'id', 'tanggal', 'suka'" in message
    assert "Pilih kolom" in message


def test_read_comments_unsupported_extension():
    with pytest.raises(IngestError, match=r"tidak didukung.*\.csv.*\.xlsx.*\.json"):
        _read(make.wrong_extension())


def test_read_comments_binary_renamed_csv():
    with pytest.raises(IngestError, match="gambar PNG"):
        _read(make.binary_renamed())
    with pytest.raises(IngestError, match="data biner"):
        _read(make.binary_noise_renamed())


def test_read_comments_xlsx_renamed_csv():
    with pytest.raises(IngestError, match=r"Ubah ekstensinya menjadi \.xlsx"):
        _read(make.xlsx_renamed_csv())


def test_read_comments_semicolon_and_decimal_comma():
    result = _read(make.semicolon_decimal_comma())
    frame = result.comments
    assert frame["text"][0] == "Antrean di kantor lama, tapi petugasnya ramah"
    assert frame["rating"].tolist() == [4, 1]
    assert frame["likes"].tolist() == [1234, 12]
    assert frame["created_at"][0] == _utc("2024-03-12T02:15:00Z")


def test_read_comments_utf8_bom():
    result = _read(make.utf8_bom())
    assert result.columns.id == "review_id"
    assert result.comments["text"][0] == "Kuota habis terus 😭"


def test_read_comments_semicolon_texts_full_of_commas():
    lines = ["nama;komentar;tanggal;suka"]
    lines += [
        f"warga{number};Antrean ke-{number}, loket dua, agak lama, tapi tertib, terima kasih;"
        f"2024-02-{number % 28 + 1:02d} 09:00:00;{number}"
        for number in range(30)
    ]
    result = read_comments(("\n".join(lines) + "\n").encode(), "titik_koma_koma.csv")

    frame = result.comments
    assert len(frame) == 30
    assert result.columns.text == "komentar"
    assert frame["text"][0] == "Antrean ke-0, loket dua, agak lama, tapi tertib, terima kasih"
    assert frame["author"][29] == "warga29"
    assert frame["likes"][29] == 29
    assert frame["created_at"].notna().all()


def test_read_comments_tab_texts_with_commas_and_semicolons():
    lines = ["nama\tkomentar\ttanggal"]
    lines += [
        f"pengguna{number}\tKuota habis; coba besok, lusa, atau Senin; kata CS, sabar, ya, kak\t"
        "2024-05-01 10:00:00"
        for number in range(20)
    ]
    result = read_comments(("\n".join(lines) + "\n").encode(), "tab.txt")

    frame = result.comments
    assert len(frame) == 20
    assert frame["text"][0] == "Kuota habis; coba besok, lusa, atau Senin; kata CS, sabar, ya, kak"
    assert frame["author"][19] == "pengguna19"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_read_comments_each_delimiter(delimiter):
    rows = [
        ["review_id", "text", "rating", "date"],
        ["d1", "Aplikasi lancar jaya", "5", "2024-01-01 10:00:00"],
        ["d2", "Verifikasi wajah gagal", "1", "2024-01-02 10:00:00"],
    ]
    data = "\n".join(delimiter.join(row) for row in rows) + "\n"
    result = read_comments(data.encode(), "pemisah.csv")

    assert result.comments["text"].tolist() == ["Aplikasi lancar jaya", "Verifikasi wajah gagal"]
    assert result.comments["rating"].tolist() == [5, 1]


def test_read_comments_one_column_texts_with_commas():
    data = "komentar\nhalo, apa kabar, min\nkuota, kapan dibuka\nsiap\n"
    result = read_comments(data.encode(), "satu_kolom.csv")

    assert result.comments["text"].tolist() == [
        "halo, apa kabar, min", "kuota, kapan dibuka", "siap"
    ]


def test_read_comments_semicolon_under_title_line():
    lines = ["Ekspor komentar, Maret 2024", "", "Nama;Komentar;Tanggal"]
    lines += [f"ani{number};Bagus, cepat, rapi, ramah;01/03/2024" for number in range(10)]
    result = read_comments(("\n".join(lines) + "\n").encode(), "berjudul.csv")

    assert len(result.comments) == 10
    assert result.comments["text"][0] == "Bagus, cepat, rapi, ramah"


def test_read_comments_ragged_rows_kept():
    data = (
        "review_id,text,rating,date\n"
        "g1,Lancar,5\n"
        "g2,Gagal bayar,1,2024-01-02 10:00:00,lebih\n"
        "g3,Normal,4,2024-01-03 10:00:00\n"
    )
    result = read_comments(data.encode(), "tidak_rata.csv")

    assert result.comments["source_id"].tolist() == ["g1", "g2", "g3"]
    assert pd.isna(result.comments["created_at"][0])


def test_read_comments_cp1252():
    result = _read(make.cp1252())
    assert result.comments["text"][0] == "Pelayanan café depan kantor – cepat sekali"


def test_read_comments_utf16_excel_unicode_text():
    result = _read(make.utf16_excel_unicode_text())
    assert result.comments["text"][0] == "Akhirnya dapat kuota 🙏"
    assert result.comments["author"][0] == "rina_k"


def test_read_comments_utf16_big_endian():
    result = _read(make.utf16_be())
    assert result.comments["text"][0] == "Wawancara cuma lima menit"


def test_read_comments_mixed_line_endings():
    result = _read(make.mixed_line_endings())
    assert result.comments["source_id"].tolist() == ["m1", "m2", "m3"]
    assert result.comments["text"][2] == "Baris ketiga CR"


def test_read_comments_quoted_newlines():
    result = _read(make.quoted_newlines())
    assert result.comments["text"][0] == (
        'Langkah 1 lancar.\nLangkah 2 gagal terus,\n"server sibuk" katanya'
    )
    assert result.comments["source_id"].tolist() == ["q1", "q2"]


_UNCLOSED_QUOTE = (
    "id,komentar,tanggal\n"
    '1,"komentar satu tanpa penutup,2024-01-05 10:11:12\n'
    "2,Loket tiga cepat sekali,2024-01-06 08:00:00\n"
    '3,Petugas bilang ""sabar"" saja,2024-01-07 09:30:00\n'
)


def test_read_comments_unclosed_quote_rejected():
    with pytest.raises(IngestError) as caught:
        read_comments(_UNCLOSED_QUOTE.encode(), "kutip_terbuka.csv")

    message = str(caught.value)
    assert "tanda kutip" in message
    assert "baris 2" in message
    assert '"komentar satu tanpa penutup' in message
    assert "ekspor ulang" in message


def test_preview_unclosed_quote_rejected():
    with pytest.raises(IngestError, match="tidak pernah ditutup"):
        preview(_UNCLOSED_QUOTE.encode(), "kutip_terbuka.csv")


def test_read_comments_unclosed_quote_stores_nothing(sqlite_url, monkeypatch):
    monkeypatch.setenv("NETNO_SECRET_KEY", "kunci-uji-ingest-yang-cukup-panjang")
    store = Store(sqlite_url)

    with pytest.raises(IngestError, match="baris 2"):
        import_bytes(_UNCLOSED_QUOTE.encode(), "kutip_terbuka.csv", store, uploaded_by="uji")
    assert store.comment_count() == 0
    assert store.batches() == []


def test_read_comments_unclosed_quote_line_after_multiline_row():
    data = (
        "id;komentar;tanggal\n"
        '1;"Baris pertama\nlanjut di baris kedua";2024-01-05\n'
        '2;"tidak ditutup;2024-01-06\n'
        "3;tertib;2024-01-07\n"
    )
    with pytest.raises(IngestError, match="baris 4"):
        read_comments(data.encode(), "titik_koma.csv")


def test_read_comments_quoted_multiline_last_row_kept():
    data = (
        "id,komentar,tanggal\n"
        "1,Lancar,2024-01-05 10:00:00\n"
        '2,"Foto ditolak,\ncoba lagi ""besok"" katanya",2024-01-06 10:00:00'
    )
    result = read_comments(data.encode(), "akhir_multibaris.csv")

    assert result.comments["text"].tolist() == [
        "Lancar", 'Foto ditolak,\ncoba lagi "besok" katanya'
    ]


def test_read_comments_xlsx_sheets_merged_formulas_empty_rows():
    result = _read(make.xlsx_workbook())
    frame = result.comments
    assert result.columns.text == "Komentar"
    assert frame["text"].tolist() == [
        "Sistem antrean online sangat membantu",
        "Kode billing tidak muncul",  # cached value of a formula
        "Wawancara cepat 👍",
    ]
    assert frame["author"].tolist() == ["andi_w", "sinta.r", "yoga"]
    assert frame["likes"].tolist() == [4, 0, 2]
    # Blank rows count in row numbers, so a row number points at its sheet row.
    assert frame["row_number"].tolist() == [1, 3, 6]
    assert [s.row_number for s in result.skipped] == [5]
    assert "kosong" in result.skipped[0].reason


def test_read_comments_xls_renamed_xlsx():
    with pytest.raises(IngestError, match=r"Excel lama \(\.xls\)"):
        _read(make.xls_renamed_xlsx())


def test_read_comments_zip_renamed_xlsx():
    with pytest.raises(IngestError, match="bukan file Excel .xlsx yang valid"):
        _read(make.zip_renamed_xlsx())


def test_read_comments_truncated_json():
    with pytest.raises(IngestError, match=r"terpotong.*baris 1, kolom \d+"):
        _read(make.truncated_json())


def test_read_comments_invalid_json_position():
    with pytest.raises(IngestError, match=r"tidak valid di baris 3, kolom 23"):
        _read(make.invalid_json())


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b'[{komentar: "a"}]', "nama kolom harus diapit tanda kutip ganda"),
        (b'[{"komentar": "a",, "b": 1}]', "tanda kutip ganda"),
        (b'[{"komentar" "a"}]', "tanda titik dua yang diharapkan tidak ada"),
        (b'[{"komentar": "a\\q"}]', "garis miring terbalik yang tidak sah"),
    ],
)
def test_read_comments_invalid_json_in_indonesian(data, problem):
    with pytest.raises(IngestError) as raised:
        read_comments(data, "rusak.json")

    assert problem in str(raised.value)
    assert "Expecting" not in str(raised.value)
    assert "Invalid" not in str(raised.value)


def test_read_comments_invalid_jsonl_line():
    with pytest.raises(IngestError, match="baris 2"):
        _read(make.invalid_jsonl())


def test_read_comments_nested_replies_keep_parents():
    frame = _read(make.nested_replies_json()).comments
    assert frame["source_id"].tolist() == ["c1", "c11", "c111", "c1111", "c11111", "c2"]
    assert frame["parent_id"].tolist() == [None, "c1", "c11", "c111", "c1111", None]


def test_read_comments_replies_deeper_than_hundred_levels():
    depth = 150
    node: dict[str, object] = {"id": f"b{depth}", "text": "Balasan paling dalam"}
    for level in range(depth - 1, -1, -1):
        node = {"id": f"b{level}", "text": f"Balasan tingkat {level}", "replies": {"data": [node]}}
    payload = {"data": [node, {"id": "lain", "text": "Komentar sesudahnya"}]}
    result = read_comments(json.dumps(payload).encode(), "balasan_dalam.json")

    frame = result.comments
    assert len(frame) == depth + 2
    assert frame["source_id"].tolist()[-2:] == [f"b{depth}", "lain"]
    assert frame["parent_id"].tolist()[depth] == f"b{depth - 1}"
    assert frame["parent_id"].tolist()[-1] is None
    assert result.skipped == []


def test_read_comments_dates_formats_and_zones():
    frame = _read(make.dates_and_time_zones()).comments
    expected = _utc("2024-01-31T20:00:00Z")
    for index in range(8):
        assert frame["created_at"][index] == expected, frame["text"][index]
    assert pd.isna(frame["created_at"][8])
    # 20:00 UTC on January 31 is already February 1 in Jakarta.
    assert frame["created_at"][0].tz_convert(JAKARTA).date() == date(2024, 2, 1)


def test_read_comments_json_object_text_skipped_with_reason():
    payload = [
        {"id": "o1", "text": {"a": 1}, "timestamp": "2024-02-01T01:00:00Z"},
        {"id": "o2", "text": "Kuota Sabtu cepat habis", "timestamp": "2024-02-02T01:00:00Z"},
    ]
    result = read_comments(json.dumps(payload).encode(), "objek.json")

    assert result.comments["source_id"].tolist() == ["o2"]
    assert [skip.row_number for skip in result.skipped] == [1]
    reason = result.skipped[0].reason
    assert "bukan teks" in reason
    assert '{"a": 1}' in reason
    assert "kosong" not in reason


def test_read_comments_json_object_date_noted():
    payload = [
        {"id": "t1", "text": "Bayar lewat bank lancar", "timestamp": {"x": 1}},
        {"id": "t2", "text": "Server sibuk", "timestamp": "2024-02-02T01:00:00Z"},
    ]
    result = read_comments(json.dumps(payload).encode(), "tanggal_objek.json")

    assert result.comments["created_at"].isna().tolist() == [True, False]
    assert [note.row_number for note in result.notes] == [1]
    assert '\'{"x": 1}\' tidak terbaca' in result.notes[0].message


def test_read_comments_json_date_object_with_date_key():
    payload = [{"id": "m1", "text": "Foto diterima", "date": {"$date": "2024-02-01 08:00:00"}}]
    result = read_comments(json.dumps(payload).encode(), "mongo.json")

    assert result.comments["created_at"][0] == _utc("2024-02-01T01:00:00Z")
    assert result.notes == []


def test_read_comments_decimal_epoch_seconds_csv_and_json():
    csv_data = b"komentar,tanggal\nantre lama,1706731200.0\nlancar,1706731200000.0\n"
    json_data = json.dumps([{"text": "antre lama", "created_at": 1706731200.0}]).encode()
    from_csv = read_comments(csv_data, "epoch.csv")
    from_json = read_comments(json_data, "epoch.json")

    expected = _utc("2024-01-31T20:00:00Z")
    assert from_csv.comments["created_at"].tolist() == [expected, expected]
    assert from_json.comments["created_at"][0] == expected
    assert from_csv.notes == []


def test_read_comments_file_larger_than_limit():
    name, content = make.too_many_rows(200)
    with pytest.raises(IngestError, match=r"melebihi batas 1 KB.*NETNO_MAX_FILE_MB"):
        read_comments(content, name, max_bytes=1_024)


def test_read_comments_too_many_rows_refused_before_parsing(monkeypatch):
    calls = []
    original = ingest._Builder.add

    def counting_add(self, row_number, values):
        calls.append(row_number)
        original(self, row_number, values)

    monkeypatch.setattr(ingest._Builder, "add", counting_add)
    with pytest.raises(IngestError, match=r"lebih dari 100 baris.*NETNO_MAX_ROWS"):
        _read(make.too_many_rows(1_000), max_rows=100)
    assert calls == []


def test_read_comments_too_many_rows_xlsx():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Komentar", "Tanggal"])
    for number in range(60):
        sheet.append([f"Komentar ke-{number} soal jadwal", "2024-01-01 10:00:00"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(IngestError, match="lebih dari 50 baris"):
        read_comments(buffer.getvalue(), "banyak.xlsx", max_rows=50)


def test_read_comments_max_rows_none_means_no_limit():
    result = _read(make.too_many_rows(300), max_rows=None)
    assert len(result.comments) == 300


def test_read_comments_long_comment_truncated_with_note():
    result = _read(make.long_comment(100_000))
    assert len(result.comments) == 1
    assert len(result.comments["text"][0]) == MAX_TEXT_CHARS
    assert result.notes[0].row_number == 1
    assert "dipotong" in result.notes[0].message


def test_read_comments_out_of_range_dates_noted():
    # Broken exports write years pandas cannot store; a big file takes the bulk path.
    rows = ["komentar,tanggal", "otp tidak masuk,0001-01-05 10:00:00"]
    rows += ["aplikasi lemot,9999-12-31 23:00:00", "bayar gagal,1600-02-01"]
    rows += [f"antrian penuh {number},2024-02-01 08:00:00" for number in range(300)]
    result = read_comments("\n".join(rows).encode(), "rusak.csv")

    frame = result.comments
    assert len(frame) == 303
    assert frame["created_at"][:3].isna().all()
    assert frame["created_at"][3:].notna().all()
    assert [note.row_number for note in result.notes] == [1, 2, 3]
    assert "'0001-01-05 10:00:00' tidak terbaca" in result.notes[0].message
    assert "tren bulanan" in result.notes[0].message


def test_read_comments_out_of_range_dates_few_rows():
    data = "komentar,tanggal\nlemot,0001-01-01 00:00:00\nbagus,2024-01-02 09:00:00\n"
    result = read_comments(data.encode(), "kecil.csv")

    assert result.comments["created_at"].isna().tolist() == [True, False]
    assert [note.row_number for note in result.notes] == [1]


def _notes_by_row(result: ingest.IngestResult) -> dict[int, list[str]]:
    notes: dict[int, list[str]] = {}
    for note in result.notes:
        notes.setdefault(note.row_number, []).append(note.message)
    return notes


def test_read_comments_negative_likes_emptied_with_note():
    data = (
        "nama,komentar,tanggal,likes\n"
        "tari,Antrean online lancar,2024-03-01 09:00:00,-3\n"
        "bimo,Foto ditolak terus,2024-03-02 09:00:00,4\n"
    )
    result = read_comments(data.encode(), "suka_negatif.csv")

    assert result.comments["likes"].isna().tolist() == [True, False]
    assert result.comments["likes"][1] == 4
    notes = _notes_by_row(result)
    assert list(notes) == [1]
    assert "Jumlah suka '-3'" in notes[1][0]
    assert "negatif" in notes[1][0]
    assert "dikosongkan" in notes[1][0]


def test_read_comments_play_store_bad_score_and_thumbs():
    reviews = [
        {"reviewId": "ps-1", "content": "Tidak bisa login", "score": 0, "thumbsUpCount": 2},
        {"reviewId": "ps-2", "content": "Sangat membantu", "score": 6, "thumbsUpCount": -1},
        {"reviewId": "ps-3", "content": "Lumayan cepat", "score": 3.5, "thumbsUpCount": 2.7},
        {"reviewId": "ps-4", "content": "Sudah bagus", "score": 4, "thumbsUpCount": 0},
    ]
    data = "\n".join(json.dumps(review) for review in reviews)
    result = read_comments(data.encode(), "ulasan_rusak.jsonl")

    frame = result.comments
    assert frame["rating"].isna().tolist() == [True, True, True, False]
    assert frame["rating"][3] == 4
    assert frame["likes"].isna().tolist() == [False, True, True, False]
    assert frame["likes"].tolist()[0] == 2
    notes = _notes_by_row(result)
    assert "Rating '0' di luar rentang 1 sampai 5" in notes[1][0]
    assert "Jumlah suka '-1' bernilai negatif" in notes[2][0]
    assert "Rating '6'" in notes[2][1]
    assert "Jumlah suka '2.7' bukan bilangan bulat" in notes[3][0]
    assert "Rating '3.5' bukan bilangan bulat" in notes[3][1]
    assert 4 not in notes


def test_read_comments_fractional_likes_not_rounded():
    data = (
        "Komentar;Rating;Suka\n"
        "Verifikasi wajah gagal;4,0;1,5\n"
        "Kode billing cepat keluar;2,5;1.234\n"
    )
    result = read_comments(data.encode(), "pecahan.csv")

    frame = result.comments
    assert pd.isna(frame["likes"][0])
    assert frame["rating"][0] == 4
    assert pd.isna(frame["rating"][1])
    assert frame["likes"][1] == 1234
    notes = _notes_by_row(result)
    assert "Jumlah suka '1,5' bukan bilangan bulat" in notes[1][0]
    assert "Rating '2,5' bukan bilangan bulat" in notes[2][0]


def test_read_comments_json_negative_like_count():
    payload = [
        {"id": "k1", "text": "Jadwal wawancara penuh", "like_count": -1},
        {"id": "k2", "text": "Petugas ramah", "like_count": 3},
    ]
    result = read_comments(json.dumps(payload).encode(), "ig.json")

    assert pd.isna(result.comments["likes"][0])
    assert result.comments["likes"][1] == 3
    assert [note.row_number for note in result.notes] == [1]


def test_read_comments_likes_beyond_database_integer():
    data = "komentar,suka\nserver sibuk terus,99999999999\nsudah normal,2147483647\n"
    result = read_comments(data.encode(), "besar.csv")

    assert pd.isna(result.comments["likes"][0])
    assert result.comments["likes"][1] == 2_147_483_647
    assert "di luar rentang 0 sampai 2.147.483.647" in result.notes[0].message


def test_read_comments_bad_likes_store_the_rest(sqlite_url, monkeypatch):
    monkeypatch.setenv("NETNO_SECRET_KEY", "kunci-uji-ingest-yang-cukup-panjang")
    data = (
        "nama,komentar,tanggal,likes,rating\n"
        "sari,Pembayaran gagal terus,2024-04-01 10:00:00,-3,7\n"
        "hadi,Wawancara cepat,2024-04-02 10:00:00,5,5\n"
    )
    store = Store(sqlite_url)
    report = import_bytes(data.encode(), "campur.csv", store, uploaded_by="uji")

    assert report.batch.rows_new == 2
    assert len(report.notes) == 2
    stored = store.coded_frame().set_index("text")
    assert pd.isna(stored.loc["Pembayaran gagal terus", "likes"])
    assert stored.loc["Wawancara cepat", "likes"] == 5


_BOUND_DATES = "\n".join([
    "komentar,tanggal",
    "awal tahun pertama,1678-01-01 00:00:00",
    "mendekati batas akhir,2262-04-11 23:00:00",
    "sebelum batas awal,1677-09-20 23:00:00Z",
    "sesudah batas akhir,2262-04-11 17:00:00Z",
    "akhir tahun terakhir,2261-12-31 23:59:59",
])


def test_read_comments_dates_at_storable_bounds():
    result = read_comments(_BOUND_DATES.encode(), "batas.csv")

    created = result.comments["created_at"]
    assert created.isna().tolist() == [False, False, True, True, False]
    assert created[1] == _utc("2262-04-11T16:00:00Z")
    assert [note.row_number for note in result.notes] == [3, 4]


def test_read_comments_bound_dates_import(sqlite_url, monkeypatch):
    monkeypatch.setenv("NETNO_SECRET_KEY", "kunci-uji-ingest-yang-cukup-panjang")
    store = Store(sqlite_url)

    report = import_bytes(_BOUND_DATES.encode(), "batas.csv", store, uploaded_by="uji")

    assert report.batch.rows_new == 5
    assert store.comment_count() == 5


def test_read_comments_emoji_only_kept():
    frame = _read(make.emoji_only()).comments
    assert frame["text"].tolist() == ["😡😡😡", "👍🏽"]


def test_read_comments_progress_reported():
    seen = []
    _read(make.too_many_rows(50), progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (50, 50)


def test_default_max_rows_from_environment():
    code = "from netno.ingest import DEFAULT_MAX_ROWS; print(DEFAULT_MAX_ROWS)"
    env = {**os.environ, "NETNO_MAX_ROWS": "1234"}
    output = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "1234"


# --------------------------------------------------------------------------- preview, paths

def test_preview_first_rows_and_guess():
    result = preview(_PLAY_CSV.encode(), "ulasan.csv", rows=1)
    assert len(result.frame) == 1
    assert list(result.frame.columns)[:4] == ["reviewId", "userName", "userImage", "content"]
    assert result.guess.text == "content"
    assert result.guess.date == "at"
    assert result.guess.author == "userName"
    assert result.source_format == "csv:google-play"
    assert result.rows_estimate == 2


def test_preview_rejects_empty_file():
    with pytest.raises(IngestError, match="kosong"):
        preview(b"", "kosong.csv")


def test_read_path_reads_file(tmp_path):
    path = tmp_path / "ulasan.csv"
    path.write_bytes(_PLAY_CSV.encode())
    assert len(read_path(path).comments) == 2


def test_read_path_missing_file(tmp_path):
    with pytest.raises(IngestError, match="tidak ditemukan"):
        read_path(tmp_path / "tidak_ada.csv")


def test_bad_inputs_write_all(tmp_path):
    written = make.write_all(tmp_path)
    assert len(written) == len(make.BUILDERS)
    assert all(path.exists() for path in written)


# --------------------------------------------------------------------------- personal data

# Invented numbers: a mobile number, another one, and a 16-digit NIK.
PHONE = "081234567890"
OTHER_PHONE = "081299998888"
NIK = "3215012345678903"


def _longest_digit_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"\d+", text)), default=0)


def test_read_comments_cut_masks_phone_at_cut():
    text = "x" * 9990 + " " + PHONE
    data = pd.DataFrame({"komentar": [text]}).to_csv(index=False).encode()

    stored = read_comments(data, "panjang.csv").comments["text"][0]

    assert len(stored) == MAX_TEXT_CHARS
    assert not stored.endswith("081234567")
    assert _longest_digit_run(stored) <= 2


def test_read_comments_cut_masks_nik_at_cut():
    text = "x" * 9984 + " " + NIK
    data = json.dumps([{"text": text}]).encode()

    stored = read_comments(data, "panjang.json").comments["text"][0]

    assert len(stored) == MAX_TEXT_CHARS
    assert NIK[:15] not in stored
    # Only digits the mask keeps (the last four) may remain.
    assert stored.endswith("xxxxxxxxxxxx890")


def test_import_cut_text_stored_masked(sqlite_url, monkeypatch):
    monkeypatch.setenv("NETNO_SECRET_KEY", "kunci-uji-ingest-yang-cukup-panjang")
    store = Store(sqlite_url)
    data = pd.DataFrame({"komentar": ["y" * 9990 + " " + PHONE]}).to_csv(index=False).encode()

    import_bytes(data, "panjang.csv", store, uploaded_by="uji")

    stored = store.coded_frame()["text"][0]
    assert "081234567" not in stored
    assert _longest_digit_run(stored) <= 2


def test_read_comments_json_object_reason_masks_nik():
    data = json.dumps([{"text": {"nik": NIK}}, {"text": "antrian lama"}]).encode()

    result = read_comments(data, "objek.json")

    reason = result.skipped[0].reason
    assert result.skipped[0].row_number == 1
    assert "objek atau daftar JSON" in reason
    assert NIK not in reason
    assert NIK[-4:] in reason


def test_read_comments_date_note_masks_phone():
    data = f"komentar,tanggal\nantrian lama,wa {OTHER_PHONE}\n".encode()

    note = read_comments(data, "tanggal.csv").notes[0].message

    assert note.startswith("Tanggal 'wa 08")
    assert "tidak terbaca" in note
    assert OTHER_PHONE not in note
    assert "99998" not in note


def test_read_comments_long_date_cell_masked_before_cut():
    # The 40-character excerpt would cut the number in two if it were cut first.
    cell = "tanggal kosong, hubungi saja di " + PHONE
    data = pd.DataFrame({"komentar": ["antrian lama"], "tanggal": [cell]}).to_csv(index=False)

    note = read_comments(data.encode(), "tanggal.csv").notes[0].message

    assert "0812" not in note
    assert "'tanggal kosong, hubungi saja di 08" in note
    assert "tidak terbaca" in note


def test_read_comments_rating_note_masks_phone():
    data = f"komentar,rating\nantrian lama,{PHONE}\n".encode()

    note = read_comments(data, "rating.csv").notes[0].message

    assert note.startswith("Rating '08")
    assert PHONE not in note
    assert "34567" not in note


def test_read_comments_unclosed_quote_masks_excerpt():
    data = (
        "komentar,tanggal\nantrian lama,2024-01-05\n"
        f'"nomor saya {PHONE} ya,2024-01-06\nlanjut,2024-01-07\n'
    )

    with pytest.raises(IngestError) as caught:
        read_comments(data.encode(), "kutip.csv")

    message = str(caught.value)
    assert "tidak pernah ditutup" in message
    assert '"nomor saya 08' in message
    assert PHONE not in message
    assert "34567" not in message


@pytest.mark.parametrize("spaces", [185, 390])
def test_read_comments_unclosed_quote_window_masks_cut_nik(spaces):
    # Spaces push the NIK across the end of a window read after the quote: 200
    # characters in older versions, 400 in the first window now.
    data = f'komentar,tanggal\nantrian lama,2024-01-05\n"{" " * spaces}{NIK} lanjut\nb,c\n'

    with pytest.raises(IngestError) as caught:
        read_comments(data.encode(), "kutip.csv")

    message = str(caught.value)
    assert "tidak pernah ditutup" in message
    assert _longest_digit_run(message) < 5


def test_read_comments_missing_column_message_masks_name():
    data = f"komentar,paspor {OTHER_PHONE}\nantrian lama,a\n".encode()

    with pytest.raises(IngestError) as caught:
        read_comments(data, "kolom.csv", text_column="wa " + PHONE)

    message = str(caught.value)
    assert "tidak ada di 'kolom.csv'" in message
    assert PHONE not in message
    assert OTHER_PHONE not in message
    assert "'paspor 08" in message


def test_preview_text_column_error_masks_headers():
    data = f"angka,wa {OTHER_PHONE}\n1,2\n3,4\n".encode()

    with pytest.raises(ingest.TextColumnError) as caught:
        preview(data, "angka.csv")

    assert OTHER_PHONE not in str(caught.value)
    assert "'wa 08" in str(caught.value)
    assert f"wa {OTHER_PHONE}" in caught.value.columns
