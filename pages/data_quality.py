"""Data quality: for each partner, what has arrived and what is overdue.

Reads the published support tables: source_status (one row per partner data set: last delivery,
latest period received, next due date), load_summary (one row per file: rows read, landed and
rejected, late or not, revisions) and reject_reasons (why rows were rejected). Whether a data set
is overdue is worked out here against today's date: that is presentation, not a statistic."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import data, sentences
from dashboard.i18n import catalogue, column, language, number, t

OVERDUE_ICON, ON_TIME_ICON, LATE_ICON = "⚠", "✓", "⏰"

vintage = st.session_state.get("vintage")
lang = language()
today = dt.date.today()


def has_key(key: str) -> bool:
    return key in catalogue(lang)


def dataset_name(table_name: str) -> str:
    key = f"data_quality.dataset_{table_name}"
    return t(key) if has_key(key) else table_name


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def span(first, last) -> str:
    """The periods a file covers, in words ('April 2018 – March 2026')."""
    a, b = sentences.period_text(first, lang), sentences.period_text(last, lang)
    return a if a == b else f"{a} – {b}"


def table_height(rows: int) -> int:
    """Tall enough to show every row (up to 25) without an inner scroll bar."""
    return 38 + 35 * min(max(rows, 1), 25)


def day(value) -> str:
    return sentences.long_date(value, lang) if value is not None and not pd.isna(value) else "–"


st.title(t("data_quality.title"))
st.write(t("data_quality.intro"))
st.caption(t("data_quality.today", date=sentences.long_date(today, lang)))

status = data.table("source_status", vintage)
loads = data.table("load_summary", vintage)
reasons = data.table("reject_reasons", vintage)
if status.empty:
    st.info(t("data_quality.nothing"))
    st.stop()

status = status.copy()
status["partner"] = status[column("partner")]
status["dataset"] = status["table_name"].map(dataset_name)
status["due_date"] = pd.to_datetime(status["next_due"]).dt.date
status["overdue"] = status["due_date"].map(lambda d: d is not None and not pd.isna(d) and today > d)
status = status.sort_values(["partner", "dataset"])

overdue_count = int(status["overdue"].sum())
if overdue_count:
    st.warning(
        t("data_quality.summary_overdue", overdue=overdue_count, total=len(status)), icon=":material/warning:"
    )
else:
    st.success(t("data_quality.summary_none", total=len(status)), icon=":material/check_circle:")

# --- one plain sentence per partner -----------------------------------------------------------
st.header(t("data_quality.partners_title"), divider="gray")
for _source, group in status.groupby("source", sort=False):
    partner = group["partner"].iloc[0]
    several = len(group) > 1
    overdue_items = [
        {
            "dataset": row.dataset if several else None,
            "period": sentences.due_period_text(row.next_period_end, row.cadence, lang),
            "due": row.next_due,
        }
        for row in group[group["overdue"]].sort_values("next_due").itertuples()
    ]
    upcoming = group.loc[~group["overdue"], "next_due"].dropna()
    sentence = sentences.partner_delivery(
        partner, overdue_items, upcoming.min() if len(upcoming) else None, lang
    )
    marker = (
        f"{OVERDUE_ICON} **{t('data_quality.overdue')}**"
        if overdue_items
        else f"{ON_TIME_ICON} **{t('data_quality.up_to_date')}**"
    )
    st.markdown(f"- {marker} · {sentence}")

# --- every data set -------------------------------------------------------------------------
st.header(t("data_quality.datasets_title"), divider="gray")
st.write(t("data_quality.datasets_intro"))
table = pd.DataFrame(
    {
        "partner": status["partner"],
        "dataset": status["dataset"].map(capitalised),
        "cadence": status["cadence"].map(
            lambda c: t(f"data_quality.cadence_{c}") if has_key(f"data_quality.cadence_{c}") else c
        ),
        "deliveries": status["deliveries"].map(lambda n: number(n)),
        "last": status["last_received"].map(day),
        "latest": status["latest_period"].map(lambda p: sentences.period_text(p, lang)),
        "next_due": status["next_due"].map(day),
        "state": status["overdue"].map(
            lambda o: (
                f"{OVERDUE_ICON} {t('data_quality.overdue')}"
                if o
                else f"{ON_TIME_ICON} {t('data_quality.up_to_date')}"
            )
        ),
    }
)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    height=table_height(len(table)),
    column_order=["state", "dataset", "partner", "next_due", "latest", "last", "cadence", "deliveries"],
    column_config={
        "partner": st.column_config.TextColumn(t("data_quality.col_partner")),
        "dataset": st.column_config.TextColumn(t("data_quality.col_dataset")),
        "cadence": st.column_config.TextColumn(t("data_quality.col_cadence")),
        "deliveries": st.column_config.TextColumn(t("data_quality.col_deliveries")),
        "last": st.column_config.TextColumn(t("data_quality.col_last")),
        "latest": st.column_config.TextColumn(t("data_quality.col_latest")),
        "next_due": st.column_config.TextColumn(t("data_quality.col_next_due")),
        "state": st.column_config.TextColumn(t("data_quality.col_state")),
    },
)
st.caption(t("data_quality.state_explained"))

# --- files that arrived late ----------------------------------------------------------------
loads = loads.copy()
loads["partner"] = loads[column("partner")]
loads["dataset"] = loads["table_name"].map(dataset_name).map(capitalised)
late = loads[loads["late"].fillna(False).astype(bool)].sort_values("received", ascending=False)
st.header(t("data_quality.late_title"), divider="gray")
if late.empty:
    st.write(t("data_quality.late_none"))
else:
    st.write(t("data_quality.late_intro", late=len(late), total=len(loads)))
    st.dataframe(
        pd.DataFrame(
            {
                "partner": late["partner"],
                "dataset": late["dataset"],
                "due": late["due_date"].map(day),
                "received": late["received"].map(day),
                "file": late["file"],
            }
        ),
        hide_index=True,
        width="stretch",
        height=table_height(len(late)),
        column_config={
            "partner": st.column_config.TextColumn(t("data_quality.col_partner")),
            "dataset": st.column_config.TextColumn(t("data_quality.col_dataset")),
            "file": st.column_config.TextColumn(t("data_quality.col_file")),
            "due": st.column_config.TextColumn(t("data_quality.col_due")),
            "received": st.column_config.TextColumn(t("data_quality.col_received")),
        },
    )

# --- each partner's files: rows read, landed, rejected, why; revisions ------------------------
st.header(t("data_quality.files_title"), divider="gray")
st.write(t("data_quality.files_intro"))
top = (
    reasons.sort_values("rows_rejected", ascending=False)
    .groupby(["source", "table_name", "file"], sort=False)
    .apply(
        lambda g: "; ".join(
            f"{sentences.reason_text(r, lang)} ({number(n)})"
            for r, n in zip(g["reason"].head(3), g["rows_rejected"].head(3))
        ),
        include_groups=False,
    )
    if not reasons.empty
    else pd.Series(dtype=str)
)
for _source, group in loads.groupby("source", sort=False):
    partner = group["partner"].iloc[0]
    group = group.sort_values(["dataset", "received"])
    rejected = int(group["rows_rejected"].sum())
    late_files = int(group["late"].fillna(False).astype(bool).sum())
    revised = int((group["revisions"] > 0).sum())
    label = t(
        "data_quality.partner_files",
        partner=partner,
        files=len(group),
        late=late_files,
        rejected=number(rejected),
    )
    with st.expander(label):
        st.write(
            t(
                "data_quality.partner_files_sentence",
                read=number(int(group["rows_read"].sum())),
                landed=number(int(group["rows_landed"].sum())),
                rejected=number(rejected),
            )
            + " "
            + (
                t(
                    "data_quality.partner_revisions",
                    revised=revised,
                    total=len(group),
                    revisions=number(int(group["revisions"].sum())),
                )
                if revised
                else t("data_quality.partner_no_revisions")
            )
        )
        st.dataframe(
            pd.DataFrame(
                {
                    "dataset": group["dataset"],
                    "file": group["file"],
                    "received": group["received"].map(day),
                    "periods": [span(a, b) for a, b in zip(group["first_period"], group["last_period"])],
                    "read": group["rows_read"].map(number),
                    "landed": group["rows_landed"].map(number),
                    "rejected": group["rows_rejected"].map(number),
                    "late": group["late"].map(
                        lambda v: (
                            "–"
                            if pd.isna(v)
                            else (f"{LATE_ICON} {t('data_quality.late')}" if v else t("data_quality.on_time"))
                        )
                    ),
                    "revisions": group["revisions"].map(number),
                    "reasons": [
                        top.get((s, tn, f), "")
                        for s, tn, f in zip(group["source"], group["table_name"], group["file"])
                    ],
                }
            ),
            hide_index=True,
            width="stretch",
            height=table_height(len(group)),
            column_order=[
                "dataset",
                "received",
                "read",
                "landed",
                "rejected",
                "reasons",
                "late",
                "revisions",
                "periods",
                "file",
            ],
            column_config={
                "dataset": st.column_config.TextColumn(t("data_quality.col_dataset")),
                "file": st.column_config.TextColumn(t("data_quality.col_file")),
                "received": st.column_config.TextColumn(t("data_quality.col_received")),
                "periods": st.column_config.TextColumn(t("data_quality.col_periods")),
                "read": st.column_config.TextColumn(t("data_quality.col_read")),
                "landed": st.column_config.TextColumn(t("data_quality.col_landed")),
                "rejected": st.column_config.TextColumn(t("data_quality.col_rejected")),
                "late": st.column_config.TextColumn(t("data_quality.col_late")),
                "revisions": st.column_config.TextColumn(t("data_quality.col_revisions")),
                "reasons": st.column_config.TextColumn(t("data_quality.col_reasons"), width="large"),
            },
        )
st.caption(t("data_quality.files_explained"))
