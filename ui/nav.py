"""Which pages each role may open: the navigation registers only those."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.i18n import LANGUAGES
from core import users
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
    PageDef("pages/funnel.py", "nav.funnel", ":material/filter_alt:", ("director", "lead", "rep", "admin")),
    PageDef("pages/customers.py", "nav.customers", ":material/apartment:", ALL),
    PageDef("pages/inbox.py", "nav.inbox", ":material/inbox:", ALL),
    PageDef("pages/coaching.py", "nav.coaching", ":material/school:", ("director", "lead", "rep", "admin")),
    PageDef("pages/capability.py", "nav.capability", ":material/radar:", ("director", "lead", "rep", "admin")),
    PageDef("pages/knowledge.py", "nav.knowledge", ":material/menu_book:", ALL),
    # ---- lead desk ----
    # ---- process capture ----
    # ---- people ----
    # ---- funnel ----
    PageDef("pages/admin_settings.py", "nav.settings", ":material/tune:", ("admin",), "nav.section.admin"),
    PageDef("pages/admin_users.py", "nav.users", ":material/group:", ("admin",), "nav.section.admin"),
    PageDef("pages/admin_audit.py", "nav.audit", ":material/history:", ("admin",), "nav.section.admin"),
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
