"""To-dos and alerts (待办与提醒): the person's own inbox."""
import streamlit as st

from core.base import inbox
from ui import context

ctx = context.current()
st.title(ctx.t("inbox.title"))
with context.reader() as session:
    todos = inbox.todos(ctx.scope, session)
    alerts = inbox.alerts(ctx.scope, session)

st.subheader(ctx.t("inbox.todos", n=len(todos)))
if todos.empty:
    st.write(ctx.t("inbox.no_todos"))
else:
    table = todos[["id", "title", "due_at"]].assign(done=False)
    edited = st.data_editor(
        table, hide_index=True, width="stretch", key="todo_editor", disabled=["id", "title", "due_at"],
        column_config={"id": None, "title": ctx.t("col.title"), "due_at": ctx.t("col.due_at"),
                       "done": st.column_config.CheckboxColumn(ctx.t("col.done"))})
    ticked = edited.loc[edited["done"], "id"].astype(int).tolist()
    if ticked and st.button(ctx.t("inbox.complete", n=len(ticked)), type="primary", key="complete_todos"):
        with context.write() as session:
            inbox.complete_todos(session, ctx.scope, ticked, context.now())
        st.rerun()

unread = int(alerts["read_at"].isna().sum()) if not alerts.empty else 0
st.subheader(ctx.t("inbox.alerts", n=unread))
if alerts.empty:
    st.write(ctx.t("inbox.no_alerts"))
else:
    st.dataframe(alerts[["created_at", "message", "read_at"]].rename(columns=lambda c: ctx.t(f"col.{c}")),
                 hide_index=True, width="stretch", key="alerts_table")
    if unread and st.button(ctx.t("inbox.mark_read"), key="mark_read"):
        with context.write() as session:
            inbox.mark_alerts_read(session, ctx.scope, context.now())
        st.rerun()
