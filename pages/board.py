"""Board: the strategy board's quarter. What is new, what moved since the quarter before and the
year before, comparisons with Wales and trends (and whether they changed), exceptions, revisions,
a plain-language summary per outcome area, and the pack as PDF or accessible HTML.

Everything is lined up from two published vintages by dashboard/board_view.py; the page lays out.
`?quarter=2026-27-Q2` picks the quarter; `?vintage=` pins the page to what was published then.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, sentences, state
from dashboard import queries_board as qb
from dashboard.board_view import new_figures_grouped, normalise_quarter, value_text, vintage_label
from dashboard.i18n import language, t
from dashboard.periods import period_label
from dashboard.theme import with_readable_text
from reports import pack as board_pack

vintage = st.session_state.get("vintage")
lang = language()

st.title(t("board.title"))
st.write(t("board.intro"))


@st.cache_data(max_entries=16, show_spinner=False)
def _board(quarter: str, lang: str, versions: tuple):
    """The quarter's diff (a second or two of pandas), cached on the files' versions."""
    return qb.board(quarter, lang)


@st.cache_data(max_entries=8, show_spinner=False)
def _pack(quarter: str, lang: str, versions: tuple, kind: str) -> bytes:
    built = board_pack.build(quarter, lang)
    return board_pack.to_pdf(built.html) if kind == "pdf" else built.html.encode("utf-8")


def _versions(quarter: str) -> tuple:
    files = data.vintage_files()
    paths = [data.path_for(quarter if quarter in files else None)]
    before = qb.previous_quarter(quarter)
    if before in files:
        paths.append(files[before])
    return tuple(data.version(p) for p in paths)


available = qb.quarters()
if vintage:
    available = [q for q in available if q <= vintage]
if not available:
    st.warning(t("board.error_no_vintages"))
    st.stop()

# A well-formed quarter with no pack gets a clear reason (before the first, not yet published);
# anything else falls back to the default with the app's usual notice.
sent = st.query_params.get("quarter")
if sent and sent not in available and sent != st.session_state.get("_url_quarter"):
    wanted = normalise_quarter(sent)
    if wanted in available:
        st.query_params["quarter"] = wanted
    elif wanted is not None:
        try:
            qb.check_quarter(wanted, available)
        except qb.BoardInputError as problem:
            st.warning(
                t(f"board.error_{problem.key}", **problem.values) + " " + t("board.error_shown_instead"),
                icon=":material/event_busy:",
            )
        st.query_params.pop("quarter", None)

quarter = state.select(
    t("board.quarter_label"),
    available,
    key="quarter",
    what="period",
    default=available[0],
    format_func=lambda q: period_label(vintage_label(q), "quarterly", lang),
    help=t("board.quarter_help"),
)
if vintage:
    st.caption(t("board.pinned_note"))

try:
    diff, indicator_table, areas = _board(quarter, lang, _versions(quarter))
except qb.BoardInputError as problem:
    st.warning(t(f"board.error_{problem.key}", **problem.values), icon=":material/event_busy:")
    st.stop()

indicators = indicator_table.set_index("indicator_id", drop=False).to_dict("index")
names = {i: ind[f"short_name_{lang}"] for i, ind in indicators.items()}
quarter_words = period_label(diff.vintage, "quarterly", lang)
st.caption(
    t("board.showing", quarter=quarter_words, end=board_pack.long_date(diff.reporting_end, lang))
    + " "
    + (
        t("board.compared_with", previous=period_label(diff.previous_vintage, "quarterly", lang))
        if diff.previous_vintage
        else t("board.no_previous")
    )
)
# Body text, not a caption: a link drawn at a caption's faded strength is 3:1 on white (WCAG 1.4.3).
st.markdown(t("board.link_hint") + f" [?vintage={quarter}](board?vintage={quarter}&lang={lang})")

# --- export -------------------------------------------------------------------------------------
with st.container(border=True):
    st.subheader(t("board.export_title"))
    st.caption(t("board.export_intro"))
    versions = _versions(quarter)
    left, right = st.columns(2)
    left.download_button(
        t("board.download_pdf"),
        data=lambda: _pack(quarter, lang, versions, "pdf"),
        file_name=f"board-pack-{quarter}-{lang}.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        width="stretch",
    )
    right.download_button(
        t("board.download_html"),
        data=lambda: _pack(quarter, lang, versions, "html"),
        file_name=f"board-pack-{quarter}-{lang}.html",
        mime="text/html",
        icon=":material/html:",
        on_click="ignore",
        width="stretch",
    )

# --- summary and exceptions ---------------------------------------------------------------------
area_list = [a for a in areas.to_dict("records") if (diff.rows["outcome_area"] == a["id"]).any()]
st.header(t("board.h_summary"), divider="gray")
st.markdown(sentences.board_headline(diff, lang))
for a in area_list:
    rows = diff.rows[diff.rows["outcome_area"] == a["id"]]
    st.markdown(
        f"**{a[f'name_{lang}']}.** " + sentences.board_area_summary(a[f"name_{lang}"], rows, names, lang)
    )

st.header(t("board.h_exceptions"), divider="gray")
st.caption(t("board.exceptions_intro"))
items = board_pack.exception_items(diff, indicators, lang)
for key, _icon in (
    ("worse_and_worsening", ":material/warning:"),
    ("newly_worse", ":material/trending_down:"),
    ("watch", ":material/visibility:"),
):
    st.subheader(t(f"board.h_{key}"))
    if items[key]:
        st.markdown("\n".join(f"- {x}" for x in items[key]))
    else:
        st.write(t(f"board.none_{key}"))


@st.cache_data(max_entries=64, show_spinner=False)
def _chart_spec(quarter: str, lang: str, area: str, versions: tuple) -> dict | None:
    """The area's small multiples as a Vega-Lite spec (building the Altair chart on every rerun
    would cost a quarter of a second)."""
    from reports.charts import area_chart

    ids = diff.rows.loc[diff.rows["outcome_area"] == area, "indicator_id"].tolist()
    points = board_pack._chart_points(series, indicators, ids, lang)
    if points.empty or not points["value"].notna().any():
        return None
    return with_readable_text(area_chart(points, lang, width=130, columns=2).to_dict())


# --- each outcome area --------------------------------------------------------------------------
series = qb.series(quarter if quarter in data.vintage_files() else None)
for a in area_list:
    name = a[f"name_{lang}"]
    st.header(name, divider="gray")
    rows = board_pack.table_rows(diff, indicators, lang, a["id"])
    table = pd.DataFrame(
        [
            {
                t("board.col_indicator"): r["indicator"],
                t("board.col_latest"): r["latest"],
                t("board.col_period"): r["period"],
                t("board.col_quarter"): " ".join(
                    x for x in (r["quarter"][0], f"({r['quarter'][1]})" if r["quarter"][1] else "") if x
                ),
                t("board.col_year"): " ".join(
                    x for x in (r["year"][0], f"({r['year'][1]})" if r["year"][1] else "") if x
                ),
                t("board.col_wales"): r["wales"],
                t("board.col_trend"): r["trend"],
                t("board.col_notes"): r["notes"],
            }
            for r in rows
        ]
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key=f"board_{a['id']}",
        height=36 * (len(table) + 1) + 4,
        column_config={t("board.col_indicator"): st.column_config.TextColumn(width="large", pinned=True)},
    )
    with st.expander(t("board.show_chart", area=name)):
        ids = [r["id"] for r in rows]
        spec = _chart_spec(quarter, lang, a["id"], _versions(quarter))
        if spec:
            st.vega_lite_chart(spec=spec, width="content", alt=t("board.chart_alt", area=name, n=len(ids)))
            st.caption(t("board.chart_caption"))
st.caption(t("board.table_hint"))
st.caption(t("common.withheld_explained"))

# --- new figures and revisions ------------------------------------------------------------------
st.header(t("board.h_new"), divider="gray")
st.write(
    t("board.new_intro", wrexham=diff.new_counts.get("wrexham", 0), wards=diff.new_counts.get("ward", 0))
)
new = new_figures_grouped(diff.new_figures)
if new.empty:
    st.write(t("board.none_new"))
else:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("board.col_indicator"): names[r["indicator_id"]],
                    t("board.col_periods"): board_pack.periods_text(r, indicators[r["indicator_id"]], lang),
                    t("board.value_last"): value_text(
                        r["value"], indicators[r["indicator_id"]], r["note_codes"], lang
                    ),
                    t("board.col_kind"): t(f"board.kind_{r['kind']}"),
                }
                for r in new.to_dict("records")
            ]
        ),
        hide_index=True,
        width="stretch",
        key="board_new",
    )

st.header(t("board.h_revisions"), divider="gray")
if not diff.previous_vintage:
    st.write(t("board.revisions_no_previous"))
elif diff.revisions.empty:
    st.write(t("board.none_revisions"))
else:
    st.write(
        t(
            "board.revisions_intro",
            n=len(diff.revisions),
            previous=period_label(diff.previous_vintage, "quarterly", lang),
        )
    )
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("board.col_indicator"): names[r["indicator_id"]],
                    t("board.col_period"): period_label(
                        r["period"], indicators[r["indicator_id"]]["frequency"], lang
                    ),
                    t("board.col_before"): value_text(
                        r["old_value"], indicators[r["indicator_id"]], r["old_codes"], lang
                    ),
                    t("board.col_now"): value_text(
                        r["new_value"], indicators[r["indicator_id"]], r["new_codes"], lang
                    ),
                    t("board.col_partner"): r["partner"],
                    t("board.col_reason"): r["reason"],
                }
                for r in diff.revisions.to_dict("records")
            ]
        ),
        hide_index=True,
        width="stretch",
        key="board_revisions",
    )
