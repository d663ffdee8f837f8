"""Audit log (操作日志): every write — filter by who, what kind, which record and when; before and after
side by side; page through all of it; export what is shown (CSV / Excel)."""
from datetime import datetime, time, timedelta

import streamlit as st

from core.base import audit
from ui import context, page, widgets
from ui.read import read

ctx = page.open(__file__)
st.title(ctx.t("audit.title"))
st.caption(ctx.t("company.audit.caption"))
options = read(audit.audit_options, ctx.scope)
writers = dict(options["users"])
today = context.now().date()

c1, c2, c3, c4 = st.columns(4)
who = c1.selectbox(ctx.t("col.user"), [None, *writers], key="audit_who",
                   format_func=lambda i: ctx.t("company.audit.anyone") if i is None else writers[i])
action = c2.selectbox(ctx.t("col.action"), [None, *options["actions"]], key="audit_action",
                      format_func=lambda a: ctx.t("company.audit.any") if a is None else a)
entity = c3.selectbox(ctx.t("col.entity"), [None, *options["entities"]], key="audit_entity",
                      format_func=lambda e: ctx.t("company.audit.any") if e is None else e)
record = c4.text_input(ctx.t("col.entity_id"), key="audit_record", max_chars=40)
d1, d2, d3 = st.columns([2, 2, 1])
since = d1.date_input(ctx.t("company.audit.since"), value=today - timedelta(days=30), key="audit_since")
until = d2.date_input(ctx.t("company.audit.until"), value=today, key="audit_until")
per_page = d3.selectbox(ctx.t("company.audit.per_page"), [50, 200, 1000], key="audit_per_page")

if since and until and since > until:
    st.error(ctx.t("company.err.audit_range"), icon=":material/error:")
    st.stop()
start = datetime.combine(since, time.min) if since else None
end = datetime.combine(until, time.max) if until else None
filters = dict(user_id=who, action=action, entity=entity, record=record or None, since=start, until=end,
               per_page=per_page)
first = read(audit.audit_page, ctx.scope, page=1, **filters)
page_no = 1
if first.pages > 1:
    page_no = st.number_input(ctx.t("company.audit.page", pages=first.pages), min_value=1, max_value=first.pages,
                              value=1, step=1, key="audit_page")
result = first if page_no == 1 else read(audit.audit_page, ctx.scope, page=int(page_no), **filters)
st.caption(ctx.t("company.audit.count", n=f"{result.total:,}", page=result.page, pages=result.pages))
if result.rows.empty:
    st.info(ctx.t("common.no_rows"))
else:
    shown = result.rows.rename(columns=lambda c: ctx.t(f"col.{c}") if c not in ("record", "before", "after")
                               else ctx.t(f"company.audit.{c}"))
    st.dataframe(shown, hide_index=True, width="stretch", key="audit_table",
                 column_config={ctx.t("col.at"): st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss")})
    widgets.export_buttons(ctx, shown, "audit-log", key="audit_export")
