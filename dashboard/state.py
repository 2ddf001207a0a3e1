"""Selections live in the URL, so a copied link reopens exactly the same view.

Why not `bind="query-params"`: a bound widget writes its *displayed label* into the URL
(`?indicator=Children looked after`), so the same view would have a different link in Welsh
and the link would break when the language is switched. Here the URL holds the option's id
(`?indicator=S2`) and the widget shows the label; the two are kept in step on every rerun:

- a URL value that changed since this session last wrote it (a pasted link, the back button,
  a drill-down from another page) sets the widget;
- the widget's value is written back to the URL (removed when it is the default);
- a URL value that is not one of the options falls back to the default with a short notice,
  which never repeats what was in the link (it could be anything, script or SQL included).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from dashboard.i18n import t

MAX_PARAM_LENGTH = 200
ALWAYS_IN_URL = {"lang"}  # a Welsh page's link says it is Welsh, even though English is the default


def _note(what: str) -> None:
    notices = st.session_state.setdefault("_url_notices", [])
    if what not in notices:
        notices.append(what)


def show_notices() -> None:
    """Show (once) the notices collected while building the page."""
    for what in st.session_state.pop("_url_notices", []):
        st.info(t("common.unknown_value", what=t(f"common.what_{what}")), icon=":material/info:")


def _from_url(key: str, options: list[str], what: str) -> None:
    sent = st.query_params.get(key)
    if sent is None or sent == st.session_state.get(f"_url_{key}"):
        return
    if len(sent) <= MAX_PARAM_LENGTH and sent in options:
        st.session_state[key] = sent
    elif sent != "":
        _note(what)


def _to_url(key: str, value: str, default: str) -> None:
    if value == default and key not in ALWAYS_IN_URL:
        st.query_params.pop(key, None)
        st.session_state[f"_url_{key}"] = None
    else:
        st.query_params[key] = value
        st.session_state[f"_url_{key}"] = value


def select(
    label: str,
    options: Sequence[str],
    key: str,
    what: str,
    default: str | None = None,
    format_func: Callable[[str], str] = str,
    container=None,
    widget: str = "selectbox",
    **kwargs,
) -> str:
    """A single choice whose id lives in ?key=..., shown with format_func."""
    options = list(options)
    default = default if default in options else options[0]
    _from_url(key, options, what)
    # On a page switch Streamlit treats the last page's widget value as stale and resets the
    # widget (and clears the URL's parameters); assigning the value as the session's own, before
    # the widget exists, keeps the language and selections from one page to the next.
    current = st.session_state.get(key)
    kept = st.session_state.get(f"_keep_{key}")
    st.session_state[key] = current if current in options else (kept if kept in options else default)
    place = container or st
    if widget == "segmented_control":
        value = place.segmented_control(
            label, options, format_func=format_func, key=key, required=True, **kwargs
        )
    elif widget == "radio":
        value = place.radio(label, options, format_func=format_func, key=key, **kwargs)
    else:
        value = place.selectbox(label, options, format_func=format_func, key=key, **kwargs)
    value = value if value in options else default
    st.session_state[f"_keep_{key}"] = value
    _to_url(key, value, default)
    return value


def url_value(key: str, options: Sequence[str], what: str, default: str | None = None) -> str | None:
    """A URL parameter with no widget (e.g. ?vintage=), validated against options and kept in
    the URL across reruns and page switches for as long as the session holds it."""
    options = list(options)
    _from_url(key, options, what)
    value = st.session_state.get(key)
    value = value if value in options else default
    if value is None:
        st.query_params.pop(key, None)
        st.session_state[f"_url_{key}"] = None
    else:
        _to_url(key, value, default)
    return value
