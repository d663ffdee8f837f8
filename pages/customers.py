"""Customers (客户): the customers the user may see, searchable, exportable."""
import streamlit as st

from core.base import customers
from core.base.vocabulary import HEATS, SIZES
from ui import page, widgets
from ui.read import read

ctx = page.open(__file__)
st.title(ctx.t("customers.title"))
search = st.text_input(ctx.t("customers.search"), key="customer_search", max_chars=customers.MAX_SEARCH,
                       placeholder=ctx.t("customers.search_hint"))
df = read(customers.customers, ctx.scope, search=search)
if df.empty:
    st.info(ctx.t("common.no_rows"))
else:
    words = {"size": SIZES, "heat": HEATS}  # codes shown in the reader's words
    shown = df.drop(columns=["owner_id"]).assign(**{
        col: df[col].map(lambda v, col=col: ctx.t(f"leads.{col}.{v}") if v in codes else v)
        for col, codes in words.items()}).rename(columns=lambda c: ctx.t(f"col.{c}"))
    st.caption(ctx.t("customers.count", n=len(df)))
    st.dataframe(shown, hide_index=True, width="stretch", key="customers_table")
    widgets.export_buttons(ctx, shown, "customers", key="customers_export")
