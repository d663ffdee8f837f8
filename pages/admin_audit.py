"""Audit log (操作日志): every write, newest first."""
import streamlit as st

from core.base import audit
from ui import page, widgets
from ui.read import read

ctx = page.open(__file__)
st.title(ctx.t("audit.title"))
df = read(audit.audit_log, ctx.scope)
if df.empty:
    st.info(ctx.t("common.no_rows"))
else:
    shown = df.rename(columns=lambda c: ctx.t(f"col.{c}"))
    st.dataframe(shown, hide_index=True, width="stretch", key="audit_table")
    widgets.export_buttons(ctx, shown, "audit-log", key="audit_export")
