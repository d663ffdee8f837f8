"""Reconciliation (对账, SPEC §7): per month, the contract amounts (sales) against the money received
(finance) and the value shipped (warehouse); the discrepancy rate as a light; the contracts whose
three figures disagree, side by side; the contracts still open, apart. ?month=YYYY-MM."""
import streamlit as st

from core.cash import reconciliation as recon
from ui import page, widgets
from ui.read import minute, read, settings as read_settings

ctx = page.open(__file__)
now = minute()
settings = read_settings(ctx.scope)
MONEY = ("amount", "received", "shipped", "difference")


def money(value: float) -> str:
    return f"¥{value:,.2f}"


def money_columns(labels: dict[str, str]) -> dict:
    """¥ with thousands separators and fen (e.g. ¥1,234.50); the downloads keep plain numbers."""
    return {**{labels[c]: st.column_config.NumberColumn(labels[c], format="yen", step=0.01) for c in MONEY},
            labels["signed_at"]: st.column_config.DatetimeColumn(labels["signed_at"], format="YYYY-MM-DD")}


months = recon.months(now)
asked = st.query_params.get("month")
if "recon_month" not in st.session_state:
    st.session_state["recon_month"] = asked if asked in months else recon.default_month(now)

st.title(ctx.t("recon.title"))
st.caption(ctx.t("recon.caption"))
month = st.selectbox(ctx.t("recon.month"), months, key="recon_month", width=220)
st.query_params["month"] = month
result = read(recon.reconciliation, ctx.scope, month, now)

# ---- the month's three figures and the discrepancy rate ----------------------------------------------
with st.container(border=True, key="recon_headline"):
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(ctx.t("recon.figure.amount"), money(result.amount), help=ctx.t("recon.help.amount"))
    c2.metric(ctx.t("recon.figure.received"), money(result.received), help=ctx.t("recon.help.received"))
    c3.metric(ctx.t("recon.figure.shipped"), money(result.shipped), help=ctx.t("recon.help.shipped"))
    with c4:
        widgets.light_badge(ctx, result.color)
        st.metric(ctx.t("recon.rate"), "—" if result.rate is None else f"{result.rate:.2f}%",
                  help=ctx.t("recon.rate_help", green=f"{settings['reconciliation_green_at_most']:g}",
                             red=f"{settings['reconciliation_red_above']:g}"))
    st.caption(ctx.t("recon.counts", compared=result.compared, disagreeing=len(result.disagreeing),
                     difference=money(result.difference), open=len(result.still_open),
                     open_amount=money(result.open_amount)))

# ---- the contracts whose figures disagree ------------------------------------------------------------
labels = {c: ctx.t(f"recon.col.{c}") for c in ("number", "customer", "owner", "team", "signed_at", *MONEY, "off",
                                               "next_due")}
st.subheader(ctx.t("recon.disagreeing", n=len(result.disagreeing)))
if result.disagreeing.empty:
    if result.compared:
        st.success(ctx.t("recon.all_agree", tolerance=money(result.tolerance)))
    else:
        st.info(ctx.t("recon.nothing_compared"))
else:
    st.caption(ctx.t("recon.tolerance", tolerance=money(result.tolerance)))
    off_words = {code: ctx.t(f"recon.figure.{code}") for code in recon.FIGURES}
    table = result.disagreeing.assign(off=result.disagreeing["off"].map(
        lambda codes: ctx.t("list.sep").join(off_words[c] for c in codes.split(",") if c) or "—"))
    shown = table[["number", "customer", "owner", "team", *MONEY, "off", "signed_at"]].rename(columns=labels)
    st.dataframe(shown, hide_index=True, width="stretch", key="recon_table", column_config=money_columns(labels))
    widgets.export_buttons(ctx, shown, f"reconciliation-{month}", key="recon_export")

# ---- the contracts still open: shown apart, not counted ------------------------------------------------
with st.expander(ctx.t("recon.still_open", n=len(result.still_open), amount=money(result.open_amount)),
                 icon=":material/hourglass_top:"):
    st.caption(ctx.t("recon.still_open_help"))
    if result.still_open.empty:
        st.write(ctx.t("common.no_rows"))
    else:
        shown_open = result.still_open[["number", "customer", "owner", "team", "amount", "received", "shipped",
                                        "next_due", "signed_at"]].rename(columns=labels)
        st.dataframe(shown_open, hide_index=True, width="stretch", key="recon_open_table",
                     column_config=money_columns(labels))
        widgets.export_buttons(ctx, shown_open, f"reconciliation-{month}-open", key="recon_open_export")

with st.expander(ctx.t("recon.rules_title"), icon=":material/info:"):
    st.caption(ctx.t("recon.rules", tolerance=money(result.tolerance),
                     green=f"{settings['reconciliation_green_at_most']:g}",
                     red=f"{settings['reconciliation_red_above']:g}"))
