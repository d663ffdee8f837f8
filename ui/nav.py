"""Which pages each role may open: the navigation registers only those."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.base.vocabulary import LANGUAGES
from core.base import users
from ui import auth, context


@dataclass(frozen=True)
class PageDef:
    path: str
    title_key: str
    icon: str
    roles: tuple[str, ...]
    section: str = "nav.section.work"


ALL = ("director", "lead", "rep", "finance", "admin")
PAGES = (
    PageDef("pages/cockpit.py", "nav.cockpit", ":material/traffic:", ("director", "lead", "rep", "admin")),
    # a rep's daily work first: the lead inbox and the visit forms
    PageDef("pages/leads.py", "nav.leads", ":material/contact_phone:", ("director", "lead", "rep", "admin")),
    PageDef("pages/visit.py", "nav.visit", ":material/edit_calendar:", ("rep", "lead")),
    PageDef("pages/funnel.py", "nav.funnel", ":material/filter_alt:", ("director", "lead", "rep", "admin")),
    PageDef("pages/customers.py", "nav.customers", ":material/apartment:", ALL),
    # department staff land on the requests addressed to them
    PageDef("pages/requests.py", "nav.requests", ":material/handshake:", ("director", "lead", "rep", "admin", "service")),
    PageDef("pages/inbox.py", "nav.inbox", ":material/inbox:", (*ALL, "service")),
    PageDef("pages/coaching.py", "nav.coaching", ":material/school:", ("director", "lead", "rep", "admin")),
    PageDef("pages/capability.py", "nav.capability", ":material/radar:", ("director", "lead", "rep", "admin")),
    PageDef("pages/knowledge.py", "nav.knowledge", ":material/menu_book:", (*ALL, "service")),
    # ---- lead desk ----
    PageDef("pages/lead_pool.py", "nav.lead_pool", ":material/waves:", ("director", "lead", "rep", "admin")),
    PageDef("pages/lead_board.py", "nav.lead_board", ":material/dashboard:", ("director", "lead", "admin")),
    PageDef("pages/admin_routing.py", "nav.routing", ":material/alt_route:", ("admin",), "nav.section.admin"),
    # ---- process capture ----
    PageDef("pages/admin_steps.py", "nav.steps", ":material/rule:", ("admin",), "nav.section.admin"),
    PageDef("pages/psi.py", "nav.psi", ":material/speed:", ("director", "lead", "admin")),
    PageDef("pages/process.py", "nav.process", ":material/insights:", ("director", "lead", "admin")),
    # ---- people ----
    PageDef("pages/scorecard.py", "nav.scorecard", ":material/scoreboard:", ("director", "lead", "rep", "admin")),
    # ---- funnel ----
    PageDef("pages/admin_settings.py", "nav.settings", ":material/tune:", ("admin",), "nav.section.admin"),
    PageDef("pages/admin_users.py", "nav.users", ":material/group:", ("admin",), "nav.section.admin"),
    PageDef("pages/admin_audit.py", "nav.audit", ":material/history:", ("admin",), "nav.section.admin"),
    # import / export (SPEC §10)
    PageDef("pages/admin_import.py", "nav.import", ":material/upload_file:", ("admin",), "nav.section.admin"),
)


def pages_for(role: str) -> list[PageDef]:
    return [p for p in PAGES if role in p.roles]


def navigation(ctx: context.Ctx):
    sections: dict[str, list] = {}
    for i, p in enumerate(pages_for(ctx.role)):
        page = st.Page(p.path, title=ctx.t(p.title_key), icon=p.icon, default=(i == 0))
        sections.setdefault(ctx.t(p.section), []).append(page)
    return st.navigation(sections, position="sidebar")


def _change_language() -> None:
    ctx = context.current()
    lang = st.session_state["ui_lang"]
    with context.write() as session:
        users.set_language(session, ctx.account.id, lang)


def sidebar(ctx: context.Ctx) -> None:
    with st.sidebar:
        st.markdown(f"**{ctx.account.display_name}** · {ctx.t('role.' + ctx.role)}")
        st.selectbox(ctx.t("nav.language"), list(LANGUAGES), format_func=LANGUAGES.get,
                     index=list(LANGUAGES).index(ctx.lang), key="ui_lang", on_change=_change_language)
        if st.button(ctx.t("login.logout"), key="logout_button", icon=":material/logout:"):
            auth.logout()
            st.rerun()
