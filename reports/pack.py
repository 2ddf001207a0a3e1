"""The strategy board's pack for one quarter: accessible HTML, and PDF made from the same HTML.

The HTML has one h1, h2 per section, tables with header cells and captions, and charts as SVG
images with text alternatives (each chart's figures are in the table above it). The PDF is A4
with a contents page (page numbers filled in by WeasyPrint's target-counter), page numbers and
the vintage and generation time in every page's footer; the charts stay vector graphics.
Everything comes from the published file(s) through dashboard/queries_board.py.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import time
from dataclasses import dataclass

import pandas as pd

from dashboard import sentences
from dashboard.board_view import (
    BoardDiff,
    change_text,
    long_date,
    new_figures_grouped,
    present,
    value_text,
    vintage_label,
)
from dashboard.i18n import t
from dashboard.periods import period_label
from dashboard.theme import COMPARISON, TREND

DIRECTION_SYMBOL = {"better": "▲", "worse": "▼", "up": "↑", "down": "↓", "same": "="}


@dataclass
class Pack:
    html: str
    diff: BoardDiff
    quarter: str  # '2026-27-Q2'
    seconds: float


def e(text) -> str:
    return html.escape("" if text is None else str(text))


def judgement_text(judgement: str | None, lang: str) -> str:
    judgement = judgement if judgement in COMPARISON else "not compared"
    return f"{COMPARISON[judgement][2]} {t('judgement.' + judgement.replace(' ', '_'), lang)}"


def trend_words(judgement: str | None, lang: str) -> str:
    if not judgement:
        return t("judgement.trend_none", lang)
    return f"{TREND.get(judgement, '·')} {t('judgement.' + judgement.replace(' ', '_'), lang)}"


def direction_words(direction: str | None, lang: str) -> str:
    if not direction:
        return ""
    return f"{DIRECTION_SYMBOL[direction]} {t('board.dir_' + direction, lang)}"


def change_cell(change, direction, indicator: dict, period: str | None, lang: str) -> tuple[str, str]:
    """('+2.1 points ▲ better', 'since April to June 2026'); ('–', '') when there is nothing to compare."""
    if not present(change):
        return "–", ""
    since = (
        t("board.since", lang, period=period_label(period, indicator["frequency"], lang)) if period else ""
    )
    return f"{change_text(change, indicator, lang)} {direction_words(direction, lang)}", since


def table_rows(diff: BoardDiff, indicators: dict, lang: str, area: str | None = None) -> list[dict]:
    """The board's table in words, one dict per indicator (shared by the page and the pack)."""
    out = []
    rows = diff.rows if area is None else diff.rows[diff.rows["outcome_area"] == area]
    for row in rows.sort_values("display_order").to_dict("records"):
        row = {k: (v if present(v) else None) for k, v in row.items()}  # pandas 3: missing text is NaN
        ind = indicators[row["indicator_id"]]
        wales = judgement_text(row["wales"], lang)
        if row["wales"] in ("better", "similar", "worse", "higher", "lower") and row["wales_period"]:
            wales += f" ({period_label(row['wales_period'], ind['frequency'], lang)})"
        if row["wales_changed"]:
            wales += " · " + t("board.was", lang, before=judgement_text(row["wales_before"], lang))
        trend = trend_words(row["trend"], lang)
        if row["trend_changed"]:
            trend += " · " + t("board.was", lang, before=trend_words(row["trend_before"], lang))
        notes = []
        if row["is_new"]:
            notes.append(t("board.note_new", lang))
        if row["spc_signal"]:
            notes.append(
                t("board.spc", lang, signal=t("judgement." + row["spc_signal"].replace(" ", "_"), lang))
            )
        if row["has_target"] and row["target_met"] is not None:
            notes.append(
                t(
                    "board.target_met" if row["target_met"] else "board.target_missed",
                    lang,
                    target=ind.get(f"target_{lang}") or "",
                )
            )
        if "p" in (row["note_codes"] or "").split():
            notes.append(t("board.note_provisional", lang))
        out.append(
            {
                "id": row["indicator_id"],
                "area": row["outcome_area"],
                "indicator": ind[f"name_{lang}"],
                "latest": value_text(row["value"], ind, row["note_codes"], lang),
                "period": period_label(row["period"], ind["frequency"], lang),
                "quarter": change_cell(
                    row["change_quarter"], row["direction_quarter"], ind, row["quarter_ago_period"], lang
                ),
                "year": change_cell(
                    row["change_year"], row["direction_year"], ind, row["year_ago_period"], lang
                ),
                "wales": wales,
                "trend": trend,
                "notes": "; ".join(notes),
            }
        )
    return out


def cell(parts: tuple[str, str]) -> str:
    main, small = parts
    return e(main) + (f"<br><span class='small'>({e(small)})</span>" if small else "")


def periods_text(row: dict, indicator: dict, lang: str) -> str:
    """'July to September 2026' or 'Autumn term 2018/19 to Summer term 2024/25 (20 figures)'."""
    first = period_label(row["first"], indicator["frequency"], lang)
    if row["count"] == 1:
        return first
    return t(
        "board.period_range",
        lang,
        first=first,
        last=period_label(row["last"], indicator["frequency"], lang),
        n=int(row["count"]),
    )


def exception_items(diff: BoardDiff, indicators: dict, lang: str) -> dict[str, list[str]]:
    """The exceptions in words: worse than Wales and getting worse, newly worse, other warnings."""
    rows = diff.rows.set_index("indicator_id").to_dict("index")

    def line(indicator_id: str) -> str:
        ind, row = indicators[indicator_id], rows[indicator_id]
        return t(
            "board.exception_line",
            lang,
            name=ind[f"name_{lang}"],
            value=value_text(row["value"], ind, row["note_codes"], lang),
            period=period_label(row["period"], ind["frequency"], lang),
        )

    watch = [
        t(f"board.watch_{w.why}", lang, name=indicators[w.indicator_id][f"name_{lang}"])
        for w in diff.watch.itertuples()
    ]
    return {
        "worse_and_worsening": [line(i) for i in diff.worse_and_worsening],
        "newly_worse": [line(i) for i in diff.newly_worse],
        "watch": watch,
    }


def _chart_points(series: pd.DataFrame, indicators: dict, ids: list[str], lang: str) -> pd.DataFrame:
    points = series[series["indicator_id"].isin(ids)].copy()
    withheld = points["note_codes"].fillna("").str.contains("c")
    points.loc[withheld, "value"] = float("nan")
    points["name"] = points["indicator_id"].map(lambda i: indicators[i][f"short_name_{lang}"])
    points["order"] = points["indicator_id"].map(lambda i: indicators[i]["display_order"])
    points["period_label"] = [
        period_label(p, indicators[i]["frequency"], lang)
        for p, i in zip(points["period"], points["indicator_id"])
    ]
    points["value_label"] = [
        value_text(v, indicators[i], n, lang)
        for v, i, n in zip(points["value"], points["indicator_id"], points["note_codes"])
    ]
    points["period_end"] = pd.to_datetime(points["period_end"])
    return points


CSS = """
@page { size: A4; margin: 18mm 14mm 20mm 14mm;
  @bottom-left { content: "%(footer)s"; font-size: 7.5pt; color: #444; }
  @bottom-right { content: "%(page)s " counter(page) " %(of)s " counter(pages); font-size: 7.5pt; color: #444; } }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1F1F1F; }
body { font-size: 9.5pt; line-height: 1.4; max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
h1 { font-size: 20pt; color: #1D4F91; margin-bottom: 0.2em; }
h2 { font-size: 14pt; color: #1D4F91; border-bottom: 1px solid #9DB7DC; margin-top: 1.4em; }
h3 { font-size: 11pt; margin-bottom: 0.3em; }
.lede { font-size: 11pt; }
.meta, .small { font-size: 8pt; color: #444; }
.banner { border: 1px solid #8a6d00; background: #FFF6D6; padding: 0.4em 0.6em; }
table { border-collapse: collapse; width: 100%%; margin: 0.6em 0 1em; font-size: 8pt; table-layout: fixed; }
table.board col.c1 { width: 18%%; } table.board col.c2 { width: 11%%; } table.board col.c3 { width: 14%%; }
table.board col.c4 { width: 14%%; } table.board col.c5 { width: 11%%; } table.board col.c6 { width: 13%%; }
table.board col.c7 { width: 19%%; }
th, td { overflow-wrap: anywhere; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3em; }
th, td { border: 1px solid #BBBBBB; padding: 3px 4px; vertical-align: top; text-align: left; }
thead th { background: #E8EEF7; }
tbody th { font-weight: normal; }
tr { break-inside: avoid; }
figure { margin: 0.5em 0 1em; break-inside: avoid; }
figure img { max-width: 100%%; height: auto; }
figcaption { font-size: 8pt; color: #444; }
nav ol { padding-left: 1.2em; }
nav a { color: #1D4F91; }
@media screen { nav li { margin: 0.3em 0; } nav a { display: inline-block; min-height: 24px; line-height: 24px; }
  table { font-size: 0.9rem; } body { font-size: 1rem; } }
section.area, section.major { break-before: page; }
@media print { nav a::after { content: leader(".") target-counter(attr(href), page); } }
"""


def build(quarter: str | None, lang: str) -> Pack:
    """The pack's HTML for a quarter ('2026-27Q2'; None = latest kept); raises BoardInputError."""
    from dashboard import queries_board as qb

    started = time.perf_counter()
    chosen = qb.check_quarter(quarter)
    diff, indicator_table, areas = qb.board(chosen, lang)
    indicators = indicator_table.set_index("indicator_id", drop=False).to_dict("index")
    series = qb.series(qb._vintage_or_live(chosen))
    generated = dt.datetime.now(dt.UTC).replace(microsecond=0)
    quarter_words = period_label(vintage_label(chosen), "quarterly", lang)
    footer = t(
        "board.footer",
        lang,
        vintage=vintage_label(chosen),
        generated=f"{long_date(generated, lang)} {generated:%H:%M} UTC",
    )
    css = CSS % {
        "footer": footer.replace("\\", "\\\\").replace('"', '\\"'),
        "page": t("board.page", lang),
        "of": t("board.of", lang),
    }
    names = {i: ind[f"short_name_{lang}"] for i, ind in indicators.items()}

    body: list[str] = []
    add = body.append
    add(f"<header><h1>{e(t('board.pack_title', lang))}</h1>")
    add(f"<p class='lede'>{e(t('board.pack_subtitle', lang, quarter=quarter_words))}</p>")
    add(
        f"<p class='meta'>{e(footer)}. {e(t('board.vintage_line', lang, vintage=vintage_label(chosen), end=long_date(diff.reporting_end, lang)))} "
    )
    add(
        e(
            t("board.compared_with", lang, previous=period_label(diff.previous_vintage, "quarterly", lang))
            if diff.previous_vintage
            else t("board.no_previous", lang)
        )
        + "</p>"
    )
    if qb.data.vintage_info(qb._vintage_or_live(chosen)).get("demo_data"):
        add(f"<p class='banner'>{e(t('board.demo', lang))}</p>")
    add("</header>")

    area_list = [a for a in areas.to_dict("records") if (diff.rows["outcome_area"] == a["id"]).any()]
    contents = [("summary", t("board.h_summary", lang)), ("exceptions", t("board.h_exceptions", lang))]
    contents += [(f"area-{a['id']}", a[f"name_{lang}"]) for a in area_list]
    contents += [
        ("new", t("board.h_new", lang)),
        ("revisions", t("board.h_revisions", lang)),
        ("about", t("board.h_about", lang)),
    ]
    add(f"<nav aria-labelledby='contents-h'><h2 id='contents-h'>{e(t('board.h_contents', lang))}</h2><ol>")
    add("".join(f"<li><a href='#{i}'>{e(title)}</a></li>" for i, title in contents) + "</ol></nav>")

    add(f"<main><section id='summary' class='major'><h2>{e(t('board.h_summary', lang))}</h2>")
    add(f"<p>{e(sentences.board_headline(diff, lang))}</p>")
    for a in area_list:
        rows = diff.rows[diff.rows["outcome_area"] == a["id"]]
        add(
            f"<h3>{e(a[f'name_{lang}'])}</h3><p>{e(sentences.board_area_summary(a[f'name_{lang}'], rows, names, lang))}</p>"
        )
    add("</section>")

    items = exception_items(diff, indicators, lang)
    add(f"<section id='exceptions'><h2>{e(t('board.h_exceptions', lang))}</h2>")
    add(f"<p>{e(t('board.exceptions_intro', lang))}</p>")
    for key in ("worse_and_worsening", "newly_worse", "watch"):
        add(f"<h3>{e(t('board.h_' + key, lang))}</h3>")
        if items[key]:
            add("<ul>" + "".join(f"<li>{e(x)}</li>" for x in items[key]) + "</ul>")
        else:
            add(f"<p>{e(t('board.none_' + key, lang))}</p>")
    add("</section>")

    from reports.charts import area_chart, to_svg

    headers = [
        "col_indicator",
        "col_latest",
        "col_quarter",
        "col_year",
        "col_wales",
        "col_trend",
        "col_notes",
    ]
    for a in area_list:
        name = a[f"name_{lang}"]
        rows = diff.rows[diff.rows["outcome_area"] == a["id"]]
        add(f"<section id='area-{e(a['id'])}' class='area'><h2>{e(name)}</h2>")
        add(f"<p>{e(sentences.board_area_summary(name, rows, names, lang))}</p>")
        add(
            f"<table class='board'><caption>{e(t('board.table_caption', lang, area=name, quarter=quarter_words))}</caption>"
            + "<colgroup>"
            + "".join(f"<col class='c{i}'>" for i in range(1, 8))
            + "</colgroup><thead><tr>"
        )
        add(
            "".join(f"<th scope='col'>{e(t('board.' + h, lang))}</th>" for h in headers)
            + "</tr></thead><tbody>"
        )
        for r in table_rows(diff, indicators, lang, a["id"]):
            add(
                f"<tr><th scope='row'>{e(r['indicator'])}</th><td>{e(r['latest'])}<br><span class='small'>{e(r['period'])}</span></td>"
                f"<td>{cell(r['quarter'])}</td><td>{cell(r['year'])}</td><td>{e(r['wales'])}</td>"
                f"<td>{e(r['trend'])}</td><td>{e(r['notes'])}</td></tr>"
            )
        add("</tbody></table>")
        ids = rows["indicator_id"].tolist()
        points = _chart_points(series, indicators, ids, lang)
        if not points.empty and points["value"].notna().any():
            svg = to_svg(area_chart(points, lang))
            alt_text = t("board.chart_alt", lang, area=name, n=len(ids))
            data_uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
            add(
                f"<figure><img src='{data_uri}' alt='{e(alt_text)}'><figcaption>{e(t('board.chart_caption', lang))}</figcaption></figure>"
            )
        add("</section>")

    add(f"<section id='new' class='major'><h2>{e(t('board.h_new', lang))}</h2>")
    add(
        f"<p>{e(t('board.new_intro', lang, wrexham=diff.new_counts.get('wrexham', 0), wards=diff.new_counts.get('ward', 0)))}</p>"
    )
    new = new_figures_grouped(diff.new_figures)
    if new.empty:
        add(f"<p>{e(t('board.none_new', lang))}</p>")
    else:
        add(
            f"<table><caption>{e(t('board.new_caption', lang))}</caption><thead><tr>"
            + "".join(
                f"<th scope='col'>{e(t('board.' + h, lang))}</th>"
                for h in ("col_indicator", "col_periods", "value_last", "col_kind")
            )
            + "</tr></thead><tbody>"
        )
        for r in new.to_dict("records"):
            ind = indicators[r["indicator_id"]]
            add(
                f"<tr><th scope='row'>{e(ind[f'short_name_{lang}'])}</th><td>{e(periods_text(r, ind, lang))}</td>"
                f"<td>{e(value_text(r['value'], ind, r['note_codes'], lang))}</td><td>{e(t('board.kind_' + r['kind'], lang))}</td></tr>"
            )
        add("</tbody></table>")
    add("</section>")

    add(f"<section id='revisions'><h2>{e(t('board.h_revisions', lang))}</h2>")
    if not diff.previous_vintage:
        add(f"<p>{e(t('board.revisions_no_previous', lang))}</p>")
    elif diff.revisions.empty:
        add(f"<p>{e(t('board.none_revisions', lang))}</p>")
    else:
        add(
            f"<p>{e(t('board.revisions_intro', lang, n=len(diff.revisions), previous=period_label(diff.previous_vintage, 'quarterly', lang)))}</p>"
        )
        add(
            f"<table><caption>{e(t('board.revisions_caption', lang))}</caption><thead><tr>"
            + "".join(
                f"<th scope='col'>{e(t('board.' + h, lang))}</th>"
                for h in ("col_indicator", "col_period", "col_before", "col_now", "col_partner", "col_reason")
            )
            + "</tr></thead><tbody>"
        )
        for r in diff.revisions.to_dict("records"):
            ind = indicators[r["indicator_id"]]
            add(
                f"<tr><th scope='row'>{e(ind[f'short_name_{lang}'])}</th><td>{e(period_label(r['period'], ind['frequency'], lang))}</td>"
                f"<td>{e(value_text(r['old_value'], ind, r['old_codes'], lang))}</td><td>{e(value_text(r['new_value'], ind, r['new_codes'], lang))}</td>"
                f"<td>{e(r['partner'])}</td><td>{e(r['reason'])}</td></tr>"
            )
        add("</tbody></table>")
    add("</section>")

    add(f"<section id='about'><h2>{e(t('board.h_about', lang))}</h2><ul>")
    for key in ("about_judgements", "about_changes", "about_exceptions", "about_revisions"):
        add(f"<li>{e(t('board.' + key, lang))}</li>")
    for key in (
        "withheld_explained",
        "not_available_explained",
        "provisional_explained",
        "estimated_explained",
    ):
        add(f"<li>{e(t('common.' + key, lang))}</li>")
    add("</ul></section></main>")

    title = f"{t('board.pack_title', lang)}: {quarter_words}"
    page = (
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{e(title)}</title>"
        f"<style>{css}</style></head><body>{''.join(body)}</body></html>"
    )
    return Pack(html=page, diff=diff, quarter=chosen, seconds=time.perf_counter() - started)


def to_pdf(page_html: str) -> bytes:
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return HTML(string=page_html).write_pdf(pdf_variant=None)
