"""Small shared widgets: exports of what the user sees, light badges, error display."""
from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from ui.context import Ctx

BADGE_COLORS = {"red": "red", "yellow": "orange", "green": "green", "grey": "gray"}


def light_badge(ctx: Ctx, color: str) -> None:
    st.badge(ctx.t(f"light.color.{color}"), color=BADGE_COLORS[color], icon=":material/circle:" if color != "grey" else ":material/radio_button_unchecked:")


def export_buttons(ctx: Ctx, df: pd.DataFrame, name: str, key: str) -> None:
    """CSV and Excel downloads of exactly the rows on screen (already limited to the user's scope)."""
    c1, c2 = st.columns(2, width=360)
    c1.download_button(ctx.t("common.download_csv"), df.to_csv(index=False).encode("utf-8-sig"),
                       file_name=f"{name}.csv", mime="text/csv", key=f"{key}_csv", icon=":material/download:")
    buf = io.BytesIO()
    df.to_excel(buf, index=False, engine="openpyxl")
    c2.download_button(ctx.t("common.download_xlsx"), buf.getvalue(), file_name=f"{name}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key=f"{key}_xlsx", icon=":material/download:")


def user_error(ctx: Ctx, exc) -> None:
    """Show a core UserError in the user's language."""
    st.error(exc.message(ctx.lang))


def assignment_log(ctx: Ctx, log: pd.DataFrame, title_key: str, name: str, key: str) -> None:
    """The history of who got which lead and why (core.leads.routing.recent_assignments), with its
    download: the lead board's routing history and the pool's returns and claims."""
    st.subheader(ctx.t(title_key, days=log.attrs["days"]))
    if log.empty:
        st.info(ctx.t("common.no_rows"))
        return
    shown = log.fillna("").assign(reason=log["reason"].map(lambda r: ctx.t(f"routing.reason.{r}"))).rename(
        columns=lambda c: ctx.t(f"pool.col.{c}"))
    st.dataframe(shown, hide_index=True, width="stretch", key=f"{key}_table")
    export_buttons(ctx, shown, name, key=f"{key}_export")
