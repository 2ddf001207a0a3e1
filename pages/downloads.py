"""Downloads: partners choose indicators, areas, periods and breakdowns, see the row count and a
preview, and download CSV, Excel or a data package. Every file comes from dashboard/extract.py,
the same functions the HTTP API uses, so a file from this page is byte-for-byte the API's answer
for the link shown under the buttons."""

from __future__ import annotations

import streamlit as st

from dashboard import data, extract, state
from dashboard.i18n import column, language, t
from dashboard.periods import period_label

vintage = st.session_state.get("vintage")
lang = language()

st.title(t("downloads.title"))
st.write(t("downloads.intro"))

catalogue = extract.indicator_catalogue(vintage)
published = catalogue[catalogue["status"] == "published"]
area_names = data.outcome_areas(vintage).set_index("id")[column("name")].to_dict()
service_names = data.services(vintage).set_index("id")[column("name")].to_dict()
indicator_names = published.set_index("indicator_id")[column("name")].to_dict()

st.subheader(t("downloads.what_title"))
left, middle, right = st.columns(3)
outcome_ids = [a for a in area_names if a in set(published["outcome_area"])]
outcome_area = state.select(
    t("downloads.filter_outcome_area"),
    ["any"] + outcome_ids,
    key="outcome_area",
    what="outcome_area",
    default="any",
    container=left,
    format_func=lambda i: t("downloads.any_outcome_area") if i == "any" else area_names.get(i, i),
)
in_area = published if outcome_area == "any" else published[published["outcome_area"] == outcome_area]
service_ids = [s for s in service_names if s in set(in_area["service"])]
service = state.select(
    t("downloads.filter_service"),
    ["any"] + service_ids,
    key="service",
    what="service",
    default="any",
    container=middle,
    format_func=lambda i: t("downloads.any_service") if i == "any" else service_names.get(i, i),
)
in_scope = in_area if service == "any" else in_area[in_area["service"] == service]
indicator = state.select(
    t("downloads.filter_indicator"),
    ["any"] + in_scope["indicator_id"].tolist(),
    key="indicator",
    what="indicator",
    default="any",
    container=right,
    format_func=lambda i: (
        t("downloads.any_indicator", n=len(in_scope)) if i == "any" else f"{i}: {indicator_names.get(i, i)}"
    ),
)
chosen_ids = in_scope["indicator_id"].tolist() if indicator == "any" else [indicator]

st.subheader(t("downloads.where_title"))
left, middle, right = st.columns(3)
wards = data.wards(vintage).sort_values(column("name"))
ward_names = wards.set_index("ward_code")[column("name")].to_dict()
special = {
    extract.WREXHAM: t("downloads.area_option_wrexham"),
    extract.WALES: t("downloads.area_option_wales"),
    "wards": t("downloads.area_option_wards"),
    "all": t("downloads.area_option_all"),
}
area = state.select(
    t("downloads.filter_area"),
    list(special) + list(ward_names),
    key="area",
    what="area",
    default=extract.WREXHAM,
    container=left,
    format_func=lambda code: (
        special.get(code) or t("downloads.area_option_ward", name=ward_names.get(code, code))
    ),
)

periods = extract.periods_for(chosen_ids, vintage)
period_ids = periods["period"].tolist() or [""]
frequency_of = dict(zip(periods["period"], periods["frequency"]))


def _period_text(period: str) -> str:
    return period_label(period, frequency_of[period], lang) if period in frequency_of else "-"


period_from = state.select(
    t("downloads.filter_from"),
    period_ids,
    key="from",
    what="period",
    default=period_ids[0],
    container=middle,
    format_func=_period_text,
)
period_to = state.select(
    t("downloads.filter_to"),
    period_ids,
    key="to",
    what="period",
    default=period_ids[-1],
    container=right,
    format_func=_period_text,
)
if period_ids.index(period_from) > period_ids.index(period_to):
    st.info(t("downloads.period_swapped"), icon=":material/swap_horiz:")
    period_from, period_to = period_to, period_from

in_scope_breakdowns: set[str] = set()
for listed in published.set_index("indicator_id").loc[chosen_ids, "breakdowns"]:
    in_scope_breakdowns.update(extract.json_list(listed))
names_of_breakdowns = [b for b in extract.breakdown_names(vintage) if b in in_scope_breakdowns]
breakdown = state.select(
    t("downloads.filter_breakdown"),
    ["all", "any"] + names_of_breakdowns,
    key="breakdown",
    what="breakdown",
    default="all",
    widget="radio",
    horizontal=True,
    format_func=lambda b: (
        t(f"downloads.breakdown_option_{b}")
        if b in ("all", "any")
        else extract._label(f"indicator.breakdown_names.{b}", lang, b)
    ),
)

filters = extract.Filters(
    indicators=() if indicator == "any" else (indicator,),
    outcome_area=None if outcome_area == "any" else outcome_area,
    service=None if service == "any" else service,
    areas=() if area == "all" else (area,),
    period_from=None if period_from == period_ids[0] else period_from,
    period_to=None if period_to == period_ids[-1] else period_to,
    breakdowns=(breakdown,),
    lang=lang,
    vintage=vintage,
)

st.subheader(t("downloads.result_title"), divider="gray")
rows = extract.count(filters) if chosen_ids else 0
st.markdown(t("downloads.row_count", rows=f"{rows:,}"))
if rows == 0:
    st.info(t("downloads.no_rows"), icon=":material/filter_alt_off:")
elif rows > extract.MAX_ROWS:
    st.warning(
        t("downloads.too_many", rows=f"{rows:,}", limit=f"{extract.MAX_ROWS:,}"), icon=":material/warning:"
    )
else:
    frame = extract.table(filters)
    withheld = int(frame["note_codes"].str.split().map(lambda codes: "c" in codes).sum())
    if withheld:
        st.caption(t("downloads.withheld_count", rows=f"{withheld:,}") + " " + t("common.withheld_explained"))
    buttons = st.columns(3)
    for place, kind in zip(buttons, ("csv", "xlsx", "zip")):
        builder = extract.FORMATS[kind][0]
        place.download_button(
            t(f"downloads.button_{kind}"),
            data=lambda builder=builder: builder(filters, frame),
            file_name=extract.file_name(filters, kind),
            mime=extract.FORMATS[kind][1],
            on_click="ignore",
            key=f"download_{kind}",
            icon=":material/download:",
            width="stretch",
        )
    st.caption(t("downloads.formats_help"))

    st.markdown(f"**{t('downloads.preview_title', n=min(len(frame), 20))}**")
    preview = extract._text_frame(frame.head(20))
    preview.columns = extract.headers(lang)
    st.dataframe(preview, hide_index=True, width="stretch")

    # The same extract from the API: a relative link, built from validated ids only.
    link = "/api/v1/data.csv?" + filters.query_string()
    st.markdown(f"**{t('downloads.api_title')}**")
    st.markdown(t("downloads.api_intro"))
    st.markdown(f"[{link}]({link})")
    st.caption(t("downloads.api_more"))
