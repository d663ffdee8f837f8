"""Audit log (操作日志): every write, newest first."""
import streamlit as st

from core.base import audit
from ui import context, widgets

ctx = context.require_role("admin")
st.title(ctx.t("audit.title"))
with context.reader() as session:
    df = audit.audit_log(ctx.scope, session)
if df.empty:
    st.info(ctx.t("common.no_rows"))
else:
    shown = df.rename(columns=lambda c: ctx.t(f"col.{c}"))
    st.dataframe(shown, hide_index=True, width="stretch", key="audit_table")
    widgets.export_buttons(ctx, shown, "audit-log", key="audit_export")
