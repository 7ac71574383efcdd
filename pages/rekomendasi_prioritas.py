"""Rekomendasi prioritas: what to fix first, why, and whether earlier actions worked."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from netno import charts_priority
from netno.codebook import default_codebook
from netno.markup import escape_markdown
from netno.numbers import format_number
from netno.priority import (
    ACTION_STATUSES,
    PriorityError,
    PriorityWeights,
    action_effect,
    available_months,
    build_recommendations,
    default_signals,
    format_month,
    load_weights,
    previous_month,
    save_action_status,
    save_weights,
    score_categories,
    score_stages,
    scores_for_display,
)
from netno.privacy import mask_text
from netno.report import ReportError, build_report_data, report_bytes
from netno.summary import code_labels, shorten_text
from pages.shared import (
    all_comments,
    current_user,
    filtered_comments,
    get_store,
    is_staff,
    route_through_app,
)
from pages.views import stop_without_comments

route_through_app()

ALL_PERIODS = "Semua periode terpilih"
# Characters of an example comment shown on a card.
EXAMPLE_LIMIT = 300

st.title("Rekomendasi prioritas")
st.caption(
    "Urutan perbaikan berdasarkan jumlah keluhan, pertumbuhannya, bobot tahap "
    "kematangan e-government dan tanda keparahan dalam komentar."
)

codebook = default_codebook()
signals = default_signals()
store = get_store()
coded = filtered_comments()
stop_without_comments(coded)

try:
    weights = load_weights(store)
except PriorityError as error:
    st.warning(f"{escape_markdown(error)} Bobot bawaan dipakai.")
    weights = PriorityWeights()

months = available_months(coded)
period_choice = st.selectbox(
    "Bulan yang dinilai",
    [ALL_PERIODS, *reversed(months)],
    index=1 if months else 0,
    format_func=lambda value: value if value == ALL_PERIODS else format_month(value),
    placeholder="Pilih bulan",
    key="prioritas_bulan",
)
period = None if period_choice == ALL_PERIODS else period_choice
previous = previous_month(period) if period else None

scores = score_categories(
    coded, codebook=codebook, period=period, previous=previous, weights=weights, signals=signals
)
stages = score_stages(coded, scores, codebook=codebook, period=period)
top_stage = stages.sort_values("rank").iloc[0]

st.subheader("Peringkat prioritas")
st.markdown(f"**Tahap prioritas:** {top_stage['explanation']}")
st.dataframe(scores_for_display(scores, signals=signals), hide_index=True)
st.plotly_chart(charts_priority.score_bar(scores, stage_labels=code_labels(codebook, "stages")))
st.caption(
    "Warna batang menunjukkan tahap kematangan e-government kategori itu; panjangnya "
    "adalah skor prioritas."
)

st.subheader("Rekomendasi dan tindak lanjut")
statuses = store.action_statuses()
history = all_comments()
for recommendation in build_recommendations(
    coded, scores, codebook=codebook, period=period, signals=signals
):
    saved = statuses.get(recommendation.category, {})
    status_text = saved.get("status", "baru")
    with st.expander(f"{recommendation.rank}. {recommendation.label} ({status_text})"):
        st.write(recommendation.explanation)
        st.markdown(f"**Tindakan yang disarankan:** {recommendation.action}")
        st.markdown(f"**Unit pelaksana:** {recommendation.unit}")
        st.metric("Jumlah keluhan", format_number(recommendation.count))
        st.plotly_chart(
            charts_priority.sparkline(recommendation.trend),
            key=f"prioritas_tren_{recommendation.category}",
        )
        st.markdown("**Contoh komentar:**")
        for example in recommendation.examples:
            st.text(shorten_text(example, limit=EXAMPLE_LIMIT))
        if any(len(example) > EXAMPLE_LIMIT for example in recommendation.examples):
            st.caption("Contoh yang panjang dipotong; teks lengkap ada di Daftar komentar.")

        if saved.get("action_date"):
            effect = action_effect(history, recommendation.category, saved["action_date"])
            st.info(effect["message"])
        if saved.get("note"):
            # Visitors and presentation screens see the note without the staff login name.
            author = f" ({escape_markdown(saved.get('updated_by') or '-')})" if is_staff() else ""
            st.caption(f"Catatan: {escape_markdown(mask_text(saved['note']))}{author}")

        if is_staff():
            with st.form(f"prioritas_form_{recommendation.category}"):
                status = st.selectbox(
                    "Status",
                    ACTION_STATUSES,
                    index=ACTION_STATUSES.index(status_text)
                    if status_text in ACTION_STATUSES
                    else 0,
                    placeholder="Pilih status",
                )
                note = st.text_area("Catatan", value=saved.get("note", "") or "")
                action_date = st.date_input("Tanggal tindakan", value=dt.date.today())
                if st.form_submit_button("Simpan status"):
                    try:
                        save_action_status(
                            store,
                            recommendation.category,
                            status=status,
                            note=note,
                            action_date=action_date,
                            actor=current_user(),
                            codebook=codebook,
                        )
                    except PriorityError as error:
                        st.error(escape_markdown(error))
                    else:
                        st.success("Status tersimpan.")
                        st.rerun()

if is_staff():
    with st.expander("Atur bobot skor"):
        with st.form("prioritas_bobot"):
            growth = st.number_input(
                "Bobot pertumbuhan",
                0.0,
                5.0,
                float(weights.growth),
                0.1,
                help="0 berarti pertumbuhan tidak memengaruhi skor.",
            )
            growth_cap = st.number_input(
                "Batas pertumbuhan (1 = naik 100%)", 0.0, 10.0, float(weights.growth_cap), 0.1
            )
            stage_weights = {
                code: st.number_input(
                    f"Bobot tahap {stage.label}",
                    0.0,
                    10.0,
                    weights.stage_weight(codebook, code),
                    0.1,
                )
                for code, stage in codebook.stages.items()
            }
            severity_weights = {
                signal.code: st.number_input(
                    f"Bobot sinyal: {signal.label}", 0.0, 10.0, weights.signal_weight(signal), 0.1
                )
                for signal in signals
            }
            if st.form_submit_button("Simpan bobot"):
                save_weights(
                    store,
                    PriorityWeights(
                        growth=growth,
                        growth_cap=growth_cap,
                        stages=stage_weights,
                        severity=severity_weights,
                    ),
                )
                st.success("Bobot tersimpan.")
                st.rerun()

st.subheader("Unduh laporan")
if st.button("Siapkan laporan", key="prioritas_siapkan"):
    try:
        data = build_report_data(
            coded,
            codebook=codebook,
            period=period,
            previous=previous,
            weights=weights,
            actions=statuses,
            signals=signals,
        )
        st.session_state["prioritas_laporan"] = (
            report_bytes(data, "xlsx", codebook=codebook),
            report_bytes(data, "html"),
        )
    except (PriorityError, ReportError) as error:
        st.error(escape_markdown(error))
if "prioritas_laporan" in st.session_state:
    xlsx, page = st.session_state["prioritas_laporan"]
    st.download_button(
        "Unduh Excel (.xlsx)",
        xlsx,
        file_name="laporan-prioritas.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    st.download_button("Unduh HTML", page, file_name="laporan-prioritas.html", mime="text/html")
