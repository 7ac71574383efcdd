"""Unggah data: upload a month's comment export, check the detected columns, code and store it."""

import streamlit as st

from netno.ingest import (
    DEFAULT_MAX_ROWS,
    JAKARTA,
    IngestError,
    IngestResult,
    Preview,
    TextColumnError,
    describe_source_format,
    looks_like_comments,
    preview,
    read_comments,
)
from netno.markup import escape_markdown
from netno.numbers import format_number
from netno.pipeline import import_bytes, remove_demo
from netno.privacy import mask_text
from netno.store import StoreError
from netno.upload_privacy import masked_preview
from pages.shared import codebook, current_user, get_store, require_staff, route_through_app

route_through_app()

STAGE_TEXT = {"baca": "Membaca file", "kode": "Mengodekan komentar", "simpan": "Menyimpan"}
NO_COLUMN = "(tidak ada)"
UPLOAD_TYPES = ["csv", "tsv", "txt", "xlsx", "xlsm", "json", "jsonl", "ndjson"]
PREVIEW_NOTE = (
    "Pratinjau sudah disamarkan: kolom nama pengguna, tautan profil, pengirim, alamat, "
    "e-mail, telepon, NIK dan KTP dikosongkan, sebutan @akun diganti \"@…\", dan nomor "
    "serta e-mail di teks dan judul kolom disamarkan. Nama orang yang ditulis tanpa @ "
    "tetap terbaca."
)

st.title("Unggah data")
require_staff("mengunggah data")

limit_mb = st.get_option("server.maxUploadSize")
max_rows = format_number(DEFAULT_MAX_ROWS)
st.caption(
    "Format yang diterima: CSV (koma, titik koma atau tab), Excel (.xlsx), JSON dan JSONL "
    f"dari ekspor Instagram atau ulasan Play Store. Ukuran maksimal {limit_mb} MB dan "
    f"{max_rows} baris per file. Nomor telepon, e-mail, NIK, nomor paspor, nomor permohonan "
    "dan kode billing disamarkan sebelum disimpan."
)

uploaded = st.file_uploader("Pilih file ekspor komentar", type=UPLOAD_TYPES, key="ud_file")
if uploaded is None:
    st.stop()

data = uploaded.getvalue()


def choose_detected_columns(detected: Preview) -> dict[str, str]:
    """Show the raw preview with the guessed columns and return the columns the user changed."""
    guess = detected.guess
    st.subheader("Pratinjau")
    st.write(f"Format dikenali: **{describe_source_format(detected.source_format)}**.")
    if detected.rows_estimate and detected.rows_estimate > DEFAULT_MAX_ROWS:
        st.warning(
            f"File ini berisi sekitar {detected.rows_estimate} baris, lebih dari batas "
            f"{DEFAULT_MAX_ROWS} baris, sehingga akan ditolak. Pecah file menjadi beberapa bagian."
        )
    if not guess.confident:
        st.warning(
            "Kolom teks komentar belum bisa dipastikan. Periksa pilihan kolom di bawah "
            "sebelum menyimpan."
        )
    columns = list(guess.candidates)
    left, right = st.columns(2)
    text_column = left.selectbox(
        "Kolom teks komentar",
        options=columns,
        index=columns.index(guess.text) if guess.text in columns else 0,
        format_func=mask_text,
        key="ud_text_column",
    )
    date_options = [NO_COLUMN, *columns]
    date_column = right.selectbox(
        "Kolom tanggal",
        options=date_options,
        index=date_options.index(guess.date) if guess.date in date_options else 0,
        format_func=mask_text,
        key="ud_date_column",
    )
    if text_column in detected.frame and not looks_like_comments(detected.frame[text_column]):
        st.warning(
            f"Kolom {escape_markdown(mask_text(text_column))!r} tampaknya berisi angka atau "
            "kode, bukan komentar. Pilih kolom yang berisi teks komentar."
        )
    st.dataframe(
        masked_preview(detected.frame.head(10), author=guess.author),
        hide_index=True,
        width="stretch",
    )
    st.caption(PREVIEW_NOTE)

    # Only the columns the user changed are passed on: for a recognised export the
    # reader knows its own fields better than a flat column list.
    chosen = {}
    if text_column != guess.text:
        chosen["text_column"] = text_column
    if date_column != (guess.date or NO_COLUMN) and date_column != NO_COLUMN:
        chosen["date_column"] = date_column
    return chosen


@st.cache_data(show_spinner="Membaca file...", max_entries=1)
def read_with_columns(
    data: bytes, file_name: str, text_column: str, date_column: str | None
) -> IngestResult:
    """Read the whole file with the chosen columns, cached because every widget change reruns."""
    return read_comments(data, file_name, text_column=text_column, date_column=date_column)


def choose_columns_by_hand(file_name: str, columns: list[str]) -> dict[str, str]:
    """Show the column selectors for a file whose text column was not recognised.

    Renders the comments as they will be read once a text column is chosen, and
    returns the chosen columns for ``import_bytes``. Stops the page until then.
    """
    st.subheader("Pilih kolom")
    st.warning(
        "Kolom teks komentar tidak dikenali dari nama maupun isinya. Pilih kolom yang "
        "berisi teks komentar (dan kolom tanggal bila ada), lalu periksa pratinjaunya."
    )
    left, right = st.columns(2)
    text_column = left.selectbox(
        "Kolom teks komentar",
        options=columns,
        index=None,
        placeholder="Pilih kolom teks komentar",
        format_func=mask_text,
        key="ud_text_column",
    )
    date_column = right.selectbox(
        "Kolom tanggal",
        options=[NO_COLUMN, *columns],
        index=0,
        format_func=mask_text,
        key="ud_date_column",
    )
    if text_column is None:
        st.stop()

    chosen = {"text_column": text_column}
    if date_column != NO_COLUMN:
        chosen["date_column"] = date_column
    try:
        result = read_with_columns(data, file_name, text_column, chosen.get("date_column"))
    except IngestError as error:
        st.error(f"File tidak bisa dibaca: {escape_markdown(error)}")
        st.stop()

    st.subheader("Pratinjau")
    st.write(f"Format dikenali: **{describe_source_format(result.source_format)}**.")
    if not looks_like_comments(result.comments["text"]):
        st.warning(
            f"Kolom {escape_markdown(mask_text(text_column))!r} tampaknya berisi angka atau "
            "kode, bukan komentar. Pilih kolom yang berisi teks komentar."
        )
    if date_column == NO_COLUMN and result.columns.date:
        detected_date = escape_markdown(mask_text(result.columns.date))
        st.caption(f"Kolom tanggal dikenali otomatis: {detected_date}.")
    st.dataframe(
        masked_preview(result.comments.head(10)[["row_number", "text", "created_at"]]),
        hide_index=True,
        width="stretch",
        column_config={
            "row_number": "Baris",
            "text": "Komentar",
            "created_at": st.column_config.DatetimeColumn(
                "Tanggal (WIB)", format="YYYY-MM-DD HH:mm", timezone=str(JAKARTA)
            ),
        },
    )
    st.caption(
        f"Pratinjau sudah disamarkan. {format_number(len(result.comments))} komentar terbaca, "
        f"{format_number(len(result.skipped))} baris akan dilewati."
    )
    return chosen


detected: Preview | None = None
try:
    detected = preview(data, uploaded.name)
except TextColumnError as error:
    # The table was read, but no column looks like comment text, so the user picks one.
    chosen = choose_columns_by_hand(uploaded.name, error.columns)
except IngestError as error:
    st.error(f"File tidak bisa dibaca: {escape_markdown(error)}")
    st.stop()

if detected is not None:
    chosen = choose_detected_columns(detected)

keep_usernames = st.checkbox(
    "Simpan nama pengguna pengirim apa adanya",
    key="ud_keep_usernames",
    help="Bawaan: nama pengguna diganti nama samaran yang tetap. Akun lain yang disebut "
    "dengan @ di dalam komentar selalu disamarkan.",
)
if keep_usernames:
    st.warning(
        "Nama pengguna asli akan tersimpan dan terlihat oleh staf. Pilih ini hanya bila "
        "kantor memang perlu menghubungi pengirim komentar."
    )
if not st.button("Kodekan dan simpan", type="primary", key="ud_submit"):
    st.stop()

bar = st.progress(0.0, text="Mulai...")


def show_progress(stage: str, done: int, total: int) -> None:
    bar.progress(
        min(done / total, 1.0) if total else 1.0, text=f"{STAGE_TEXT[stage]}: {done}/{total}"
    )


store = get_store()
try:
    report = import_bytes(
        data,
        uploaded.name,
        store,
        uploaded_by=current_user(),
        keep_usernames=keep_usernames,
        progress=show_progress,
        text_column=chosen.get("text_column"),
        date_column=chosen.get("date_column"),
    )
except (IngestError, StoreError) as error:
    bar.empty()
    st.error(f"{escape_markdown(error)} Tidak ada data yang disimpan dari file ini.")
    st.stop()

bar.progress(1.0, text="Selesai")
summary = report.batch
st.success(
    f"Batch {summary.id} tersimpan: {format_number(summary.rows_read)} baris dibaca, "
    f"{format_number(summary.rows_new)} komentar baru, {format_number(summary.rows_duplicate)} "
    f"duplikat (sudah tersimpan), {format_number(summary.rows_skipped)} dilewati."
)
removed = remove_demo(store, actor=current_user())
if removed:
    st.info(f"Data contoh ({removed} komentar) dihapus karena data asli sudah masuk.")
if summary.skipped:
    st.subheader("Baris yang dilewati")
    st.dataframe(
        [{"Baris": item["row_number"], "Alasan": item["reason"]} for item in summary.skipped],
        hide_index=True,
    )
if report.notes:
    st.subheader("Baris yang diubah")
    st.dataframe(
        [{"Baris": note.row_number, "Catatan": note.message} for note in report.notes],
        hide_index=True,
    )
st.caption(f"Dikodekan dengan codebook versi {codebook().version}.")
