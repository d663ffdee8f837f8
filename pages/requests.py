"""Issues & requests (协同与问题): reps see their own customer issues and cross-department requests, close
issues with a resolution, record issues and ask marketing, support or delivery for help; leads do the
same for their teams; department staff answer the requests addressed to their department; the
director and admin see every team's."""
import pandas as pd
import streamlit as st

from core.process import requests as service
from core.base.errors import UserError
from core.base.vocabulary import DEPARTMENTS
from core.base.scope import ScopeError
from ui import context, psi_data, widgets

ctx = context.require_role("director", "lead", "rep", "admin", "service")
settings = context.settings()
ERROR, DONE = "svc_error", "svc_done"  # (form, field, message) of a refused save; the success message
WRITES = ctx.role in ("rep", "lead")


def dept(code: str) -> str:
    return ctx.t(f"requests.dept.{code}") if code in DEPARTMENTS else str(code)


def field_error(form: str, field: str | None) -> None:
    err = st.session_state.get(ERROR)
    if err and err[0] == form and err[1] == field:
        st.error(err[2], icon=":material/error:")


def save(form: str, action, done_key: str, clear: tuple[str, ...], **done_kw):
    """A form's submit callback: run ``action(session)`` in one transaction; on a refusal keep the
    message for the field it concerns, on success clear the form and say what was saved."""
    s = st.session_state
    s.pop(ERROR, None)
    try:
        with context.write() as session:
            new_id = action(session)
    except UserError as exc:
        s[ERROR] = (form, exc.field, exc.message(ctx.lang))
        return
    except ScopeError:
        s[ERROR] = (form, None, ctx.t("requests.err.forbidden"))
        return
    s[DONE] = (form, ctx.t(done_key, id=new_id, **done_kw))
    for key in clear:
        s[key] = None if not key.endswith("_text") else ""


def done_message(form: str) -> None:
    got = st.session_state.get(DONE)
    if got and got[0] == form:
        st.success(st.session_state.pop(DONE)[1], icon=":material/check_circle:")


def status_picker(key: str) -> str:
    return st.segmented_control(ctx.t("requests.show"), service.STATUSES, default="open", key=key,
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


# ---- department staff: answer the requests addressed to the department ---------------------------

def answer(session):
    s = st.session_state
    service.answer_request(session, ctx.scope, s.get("ans_pick"), s.get("ans_text"), context.now())
    return s.get("ans_pick")


def service_view() -> None:
    department = ctx.scope.department
    if not department:
        st.info(ctx.t("requests.no_department"))
        return
    st.caption(ctx.t("requests.caption.service", dept=dept(department),
                     target=f"{settings['psi_collaboration_target_hours']:g}"))
    open_df = psi_data.requests(ctx.scope, "open")
    status = status_picker("svc_status")
    df = open_df if status == "open" else psi_data.requests(ctx.scope, status)
    if df.empty:
        st.info(ctx.t("requests.none_open_requests" if status == "open" else "requests.none_requests"))
    else:
        overdue_caption(df)
        show_table(df, ["id", "requested_at", "customer", "subject", "owner", "team", "hours", "overdue",
                        "answered_at", "answer"], f"requests-{department}", "svc_requests", status)
    if open_df.empty:
        return
    labels = {int(r.id): f"#{r.id} · {r.customer or '—'} · {r.subject}" for r in open_df.itertuples()}
    if st.session_state.get("ans_pick") not in labels:
        st.session_state["ans_pick"] = None
    with st.form("answer_form", border=True):
        st.subheader(ctx.t("requests.answer_title"))
        field_error("answer", None)
        st.selectbox(ctx.t("requests.answer_pick"), list(labels), format_func=labels.get, index=None, key="ans_pick",
                     placeholder=ctx.t("requests.pick_hint"))
        field_error("answer", "request_id")
        st.text_area(ctx.t("requests.answer_text"), key="ans_text", max_chars=service.ANSWER_MAX, height=100)
        field_error("answer", "answer")
        st.form_submit_button(ctx.t("requests.answer_submit"), type="primary", icon=":material/send:",
                              on_click=save, args=("answer", answer,
                                                   "requests.answered", ("ans_pick", "ans_text")))
    done_message("answer")


# ---- sales: requests and issues ---------------------------------------------------------------------

def customer_options() -> dict[int, str]:
    df = psi_data.customers_of(ctx.scope)
    several_teams = ctx.role == "lead"
    return {int(r.id): f"{r.customer} · {r.owner}" if several_teams and r.owner else str(r.customer)
            for r in df.itertuples()}


def request_form() -> None:
    customers = customer_options()
    with st.expander(ctx.t("requests.new_request"), icon=":material/add_circle:",
                     expanded=bool(st.session_state.get(ERROR, ("",))[0] == "request")):
        if not customers:
            st.write(ctx.t("requests.no_customers"))
            return
        with st.form("request_form", border=False):
            c1, c2 = st.columns(2)
            with c1:
                st.selectbox(ctx.t("requests.f.customer"), list(customers), format_func=customers.get, index=None,
                             key="req_customer", placeholder=ctx.t("requests.pick_hint"))
                field_error("request", "customer_id")
            with c2:
                st.selectbox(ctx.t("requests.f.department"), DEPARTMENTS, format_func=dept, index=None,
                             key="req_department", placeholder=ctx.t("requests.pick_hint"))
                field_error("request", "department")
            st.text_input(ctx.t("requests.f.subject"), key="req_subject_text", max_chars=service.TEXT_MAX)
            field_error("request", "subject")
            field_error("request", None)

            def action(session):
                s = st.session_state
                return service.open_request(session, ctx.scope, s.get("req_customer"), s.get("req_department"),
                                            s.get("req_subject_text"), context.now())

            st.form_submit_button(ctx.t("requests.submit_request"), type="primary", icon=":material/send:",
                                  on_click=lambda: save("request", action, "requests.request_saved",
                                                        ("req_customer", "req_department", "req_subject_text"),
                                                        dept=dept(st.session_state.get("req_department"))))
    done_message("request")


def requests_tab() -> None:
    status = status_picker("req_status")
    df = psi_data.requests(ctx.scope, status)
    if df.empty:
        st.info(ctx.t("requests.none_open_requests" if status == "open" else "requests.none_requests"))
    else:
        overdue_caption(df)
        cols = ["id", "requested_at", "department", "customer", "subject", "owner", "team", "hours", "overdue",
                "answered_at", "answer"]
        if ctx.role == "rep":
            cols = [c for c in cols if c not in ("owner", "team")]
        show_table(df, cols, f"requests-{status}", "req_table", status)
    if WRITES:
        request_form()


def issue_forms() -> None:
    open_df = psi_data.issues(ctx.scope, "open")
    if not open_df.empty:
        labels = {int(r.id): f"#{r.id} · {r.customer} · {r.title}" for r in open_df.itertuples()}
        if st.session_state.get("close_pick") not in labels:
            st.session_state["close_pick"] = None
        with st.form("close_form", border=True):
            st.subheader(ctx.t("requests.close_title"))
            field_error("close", None)
            st.selectbox(ctx.t("requests.close_pick"), list(labels), format_func=labels.get, index=None,
                         key="close_pick", placeholder=ctx.t("requests.pick_hint"))
            field_error("close", "issue_id")
            st.text_area(ctx.t("requests.close_text"), key="close_text", max_chars=service.ANSWER_MAX, height=90)
            field_error("close", "resolution")

            def close(session):
                s = st.session_state
                service.close_issue(session, ctx.scope, s.get("close_pick"), s.get("close_text"), context.now())
                return s.get("close_pick")

            st.form_submit_button(ctx.t("requests.close_submit"), type="primary", icon=":material/task_alt:",
                                  on_click=save, args=("close", close, "requests.closed", ("close_pick", "close_text")))
    done_message("close")

    customers = customer_options()
    with st.expander(ctx.t("requests.new_issue"), icon=":material/add_circle:",
                     expanded=bool(st.session_state.get(ERROR, ("",))[0] == "issue")):
        if not customers:
            st.write(ctx.t("requests.no_customers"))
            return
        with st.form("issue_form", border=False):
            st.selectbox(ctx.t("requests.f.customer"), list(customers), format_func=customers.get, index=None,
                         key="iss_customer", placeholder=ctx.t("requests.pick_hint"))
            field_error("issue", "customer_id")
            st.text_input(ctx.t("requests.f.title"), key="iss_title_text", max_chars=service.TEXT_MAX)
            field_error("issue", "title")
            field_error("issue", None)

            def raise_(session):
                s = st.session_state
                return service.raise_issue(session, ctx.scope, s.get("iss_customer"), s.get("iss_title_text"),
                                           context.now())

            st.form_submit_button(ctx.t("requests.submit_issue"), type="primary", icon=":material/save:",
                                  on_click=save, args=("issue", raise_, "requests.issue_saved",
                                                       ("iss_customer", "iss_title_text")))
    done_message("issue")


def issues_tab() -> None:
    status = status_picker("iss_status")
    df = psi_data.issues(ctx.scope, status)
    if df.empty:
        st.info(ctx.t("requests.none_open_issues" if status == "open" else "requests.none_issues"))
    else:
        overdue_caption(df)
        cols = ["id", "raised_at", "customer", "title", "owner", "team", "days", "overdue", "closed_at", "resolution"]
        if ctx.role == "rep":
            cols = [c for c in cols if c not in ("owner", "team")]
        show_table(df, cols, f"issues-{status}", "iss_table", status)
    if WRITES:
        issue_forms()


st.title(ctx.t("requests.title"))
if ctx.role == "service":
    service_view()
else:
    st.caption(ctx.t(f"requests.caption.{ctx.role}"))
    open_requests = psi_data.requests(ctx.scope, "open")
    open_issues = psi_data.issues(ctx.scope, "open")
    t1, t2 = st.tabs([ctx.t("requests.tab.requests", n=len(open_requests)),
                      ctx.t("requests.tab.issues", n=len(open_issues))])
    with t1:
        requests_tab()
    with t2:
        issues_tab()
