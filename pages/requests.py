"""Issues & requests (协同与问题): reps see their own customer issues and cross-department requests, close
issues with a resolution, record issues and ask marketing, support or delivery for help; leads do the
same for their teams; department staff answer the requests addressed to their department; the
director and admin see every team's."""
import pandas as pd
import streamlit as st

from core.base import customers
from core.base.vocabulary import DEPARTMENTS
from core.process import requests
from ui import context, page, widgets
from ui.read import minute, read, settings as read_settings
from ui.write import error_of, field_error, flash, submit

ctx = page.open(__file__)
settings = read_settings(ctx.scope)
S = st.session_state


def dept(code: str) -> str:
    return ctx.t(f"requests.dept.{code}") if code in DEPARTMENTS else str(code)


def send(form: str, fn, args: tuple, done_key: str, clear: tuple[str, ...], **done_kw) -> None:
    """A form's submit callback: the core write ``fn`` with ``args`` and now; the new or changed
    record's id in the success message, the form emptied."""
    submit(ctx, form, fn, *args, context.now(), clear=clear,
           done=lambda new_id: ctx.t(done_key, id=new_id if new_id is not None else args[0], **done_kw))


def status_picker(key: str) -> str:
    return st.segmented_control(ctx.t("requests.show"), requests.STATUSES, default="open", key=key,
                                format_func=lambda v: ctx.t(f"requests.status.{v}")) or "open"


def show_table(df: pd.DataFrame, columns: list[str], name: str, key: str, status: str) -> pd.DataFrame:
    if status == "open":  # nothing answered or closed to show yet
        columns = [c for c in columns if c not in ("answered_at", "answer", "closed_at", "resolution")]
    shown = df[columns].copy()
    if "department" in shown:
        shown["department"] = shown["department"].map(dept)
    if "overdue" in shown:
        shown["overdue"] = shown["overdue"].map(lambda v: "⚠" if v else "")
    shown = shown.rename(columns=lambda c: ctx.t(f"requests.col.{c}"))
    dates = {ctx.t(f"requests.col.{c}"): st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
             for c in ("requested_at", "answered_at", "raised_at", "closed_at") if c in columns}
    st.dataframe(shown, hide_index=True, width="stretch", key=key, column_config=dates,
                 height=36 * (min(len(shown), 15) + 1) + 4)  # up to 15 rows without an inner scroll bar
    widgets.export_buttons(ctx, shown, name, key=f"{key}_export")
    return shown


def overdue_caption(df: pd.DataFrame) -> None:
    n = int(df["overdue"].sum()) if not df.empty else 0
    if n:
        st.caption(ctx.t("requests.overdue_count", n=n))


def requests_of(status: str) -> pd.DataFrame:
    return read(requests.requests, ctx.scope, minute(), status)


def issues_of(status: str) -> pd.DataFrame:
    return read(requests.issues, ctx.scope, minute(), status)


# ---- department staff: answer the requests addressed to the department ---------------------------

def staff_view() -> None:
    department = ctx.scope.department
    if not department:
        st.info(ctx.t("requests.no_department"))
        return
    st.caption(ctx.t("requests.caption.service", dept=dept(department),
                     target=f"{settings['psi_collaboration_target_hours']:g}"))
    open_df = requests_of("open")
    status = status_picker("svc_status")
    df = open_df if status == "open" else requests_of(status)
    if df.empty:
        st.info(ctx.t("requests.none_open_requests" if status == "open" else "requests.none_requests"))
    else:
        overdue_caption(df)
        show_table(df, ["id", "requested_at", "customer", "subject", "owner", "team", "hours", "overdue",
                        "answered_at", "answer"], f"requests-{department}", "svc_requests", status)
    if open_df.empty:
        return
    labels = {int(r.id): f"#{r.id} · {r.customer or '—'} · {r.subject}" for r in open_df.itertuples()}
    if S.get("ans_pick") not in labels:
        S["ans_pick"] = None
    with st.form("answer_form", border=True):
        st.subheader(ctx.t("requests.answer_title"))
        field_error("answer", None)
        st.selectbox(ctx.t("requests.answer_pick"), list(labels), format_func=labels.get, index=None, key="ans_pick",
                     placeholder=ctx.t("requests.pick_hint"))
        field_error("answer", "request_id")
        st.text_area(ctx.t("requests.answer_text"), key="ans_text", max_chars=requests.ANSWER_MAX, height=100)
        field_error("answer", "answer")
        st.form_submit_button(ctx.t("requests.answer_submit"), type="primary", icon=":material/send:",
                              on_click=lambda: send("answer", requests.answer_request,
                                                    (S.get("ans_pick"), S.get("ans_text")), "requests.answered",
                                                    ("ans_pick", "ans_text")))
    flash("answer")


# ---- sales: requests and issues ---------------------------------------------------------------------

def customer_options() -> dict[int, str]:
    df = read(customers.customers, ctx.scope, limit=500)
    several_reps = not ctx.scope.own_only  # a lead's teams: say whose customer it is
    return {int(r.id): f"{r.customer} · {r.owner}" if several_reps and r.owner else str(r.customer)
            for r in df.itertuples()}


def request_form() -> None:
    customer_names = customer_options()
    with st.expander(ctx.t("requests.new_request"), icon=":material/add_circle:",
                     expanded=error_of("request") is not None):
        if not customer_names:
            st.write(ctx.t("requests.no_customers"))
            return
        with st.form("request_form", border=False):
            c1, c2 = st.columns(2)
            with c1:
                st.selectbox(ctx.t("requests.f.customer"), list(customer_names), format_func=customer_names.get,
                             index=None, key="req_customer", placeholder=ctx.t("requests.pick_hint"))
                field_error("request", "customer_id")
            with c2:
                st.selectbox(ctx.t("requests.f.department"), DEPARTMENTS, format_func=dept, index=None,
                             key="req_department", placeholder=ctx.t("requests.pick_hint"))
                field_error("request", "department")
            st.text_input(ctx.t("requests.f.subject"), key="req_subject_text", max_chars=requests.TEXT_MAX)
            field_error("request", "subject")
            field_error("request", None)
            st.form_submit_button(ctx.t("requests.submit_request"), type="primary", icon=":material/send:",
                                  on_click=lambda: send("request", requests.open_request,
                                                        (S.get("req_customer"), S.get("req_department"),
                                                         S.get("req_subject_text")), "requests.request_saved",
                                                        ("req_customer", "req_department", "req_subject_text"),
                                                        dept=dept(S.get("req_department"))))
    flash("request")


def requests_tab() -> None:
    status = status_picker("req_status")
    df = requests_of(status)
    if df.empty:
        st.info(ctx.t("requests.none_open_requests" if status == "open" else "requests.none_requests"))
    else:
        overdue_caption(df)
        cols = ["id", "requested_at", "department", "customer", "subject", "owner", "team", "hours", "overdue",
                "answered_at", "answer"]
        if ctx.scope.own_only:  # their own: no owner or team to tell apart
            cols = [c for c in cols if c not in ("owner", "team")]
        show_table(df, cols, f"requests-{status}", "req_table", status)
    if ctx.may("request.open"):
        request_form()


def close_form() -> None:
    open_df = issues_of("open")
    if not open_df.empty:
        labels = {int(r.id): f"#{r.id} · {r.customer} · {r.title}" for r in open_df.itertuples()}
        if S.get("close_pick") not in labels:
            S["close_pick"] = None
        with st.form("close_form", border=True):
            st.subheader(ctx.t("requests.close_title"))
            field_error("close", None)
            st.selectbox(ctx.t("requests.close_pick"), list(labels), format_func=labels.get, index=None,
                         key="close_pick", placeholder=ctx.t("requests.pick_hint"))
            field_error("close", "issue_id")
            st.text_area(ctx.t("requests.close_text"), key="close_text", max_chars=requests.ANSWER_MAX, height=90)
            field_error("close", "resolution")
            st.form_submit_button(ctx.t("requests.close_submit"), type="primary", icon=":material/task_alt:",
                                  on_click=lambda: send("close", requests.close_issue,
                                                        (S.get("close_pick"), S.get("close_text")), "requests.closed",
                                                        ("close_pick", "close_text")))
    flash("close")


def issue_form() -> None:
    customer_names = customer_options()
    with st.expander(ctx.t("requests.new_issue"), icon=":material/add_circle:",
                     expanded=error_of("issue") is not None):
        if not customer_names:
            st.write(ctx.t("requests.no_customers"))
            return
        with st.form("issue_form", border=False):
            st.selectbox(ctx.t("requests.f.customer"), list(customer_names), format_func=customer_names.get,
                         index=None, key="iss_customer", placeholder=ctx.t("requests.pick_hint"))
            field_error("issue", "customer_id")
            st.text_input(ctx.t("requests.f.title"), key="iss_title_text", max_chars=requests.TEXT_MAX)
            field_error("issue", "title")
            field_error("issue", None)
            st.form_submit_button(ctx.t("requests.submit_issue"), type="primary", icon=":material/save:",
                                  on_click=lambda: send("issue", requests.raise_issue,
                                                        (S.get("iss_customer"), S.get("iss_title_text")),
                                                        "requests.issue_saved", ("iss_customer", "iss_title_text")))
    flash("issue")


def issues_tab() -> None:
    status = status_picker("iss_status")
    df = issues_of(status)
    if df.empty:
        st.info(ctx.t("requests.none_open_issues" if status == "open" else "requests.none_issues"))
    else:
        overdue_caption(df)
        cols = ["id", "raised_at", "customer", "title", "owner", "team", "days", "overdue", "closed_at", "resolution"]
        if ctx.scope.own_only:
            cols = [c for c in cols if c not in ("owner", "team")]
        show_table(df, cols, f"issues-{status}", "iss_table", status)
    if ctx.may("issue.close"):
        close_form()
    if ctx.may("issue.raise"):
        issue_form()


st.title(ctx.t("requests.title"))
if ctx.may("request.answer"):
    staff_view()
else:
    st.caption(ctx.t(f"requests.caption.{ctx.role}"))
    open_requests = requests_of("open")
    open_issues = issues_of("open")
    t1, t2 = st.tabs([ctx.t("requests.tab.requests", n=len(open_requests)),
                      ctx.t("requests.tab.issues", n=len(open_issues))])
    with t1:
        requests_tab()
    with t2:
        issues_tab()
