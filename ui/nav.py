"""The sidebar: the pages this role may open (core.base.access.PAGES), in the order a person works,
the person's name and role, the language and logout."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.base import access, inbox, users
from core.base.vocabulary import LANGUAGES
from ui import auth, write
from ui.context import Ctx
from ui.read import read


@dataclass(frozen=True)
class PageDef:
    name: str  # its file pages/<name>.py, and its row in core.base.access.PAGES
    title_key: str
    icon: str
    section: str = "nav.section.work"

    @property
    def path(self) -> str:
        return f"pages/{self.name}.py"


ADMIN = "nav.section.admin"
PAGES = (
    PageDef("cockpit", "nav.cockpit", ":material/traffic:"),
    # a rep's daily work first: the lead inbox and the visit forms
    PageDef("leads", "nav.leads", ":material/contact_phone:"),
    PageDef("visit", "nav.visit", ":material/edit_calendar:"),
    PageDef("funnel", "nav.funnel", ":material/filter_alt:"),
    PageDef("collections", "nav.collections", ":material/payments:"),
    PageDef("customers", "nav.customers", ":material/apartment:"),
    PageDef("contracts", "nav.contracts", ":material/request_quote:"),
    # cash and data quality (SPEC §7)
    PageDef("reconciliation", "nav.reconciliation", ":material/balance:"),
    PageDef("data_quality", "nav.data_quality", ":material/fact_check:"),
    # department staff land on the requests addressed to them
    PageDef("requests", "nav.requests", ":material/handshake:"),
    PageDef("inbox", "nav.inbox", ":material/inbox:"),
    PageDef("coaching", "nav.coaching", ":material/school:"),
    PageDef("capability", "nav.capability", ":material/radar:"),
    PageDef("knowledge", "nav.knowledge", ":material/menu_book:"),
    PageDef("lead_pool", "nav.lead_pool", ":material/waves:"),
    PageDef("lead_board", "nav.lead_board", ":material/dashboard:"),
    PageDef("psi", "nav.psi", ":material/speed:"),
    PageDef("lag_bottlenecks", "nav.lag_bottlenecks", ":material/insights:"),
    PageDef("scorecard", "nav.scorecard", ":material/scoreboard:"),
    PageDef("targets", "nav.targets", ":material/flag:"),
    PageDef("target_health", "nav.target_health", ":material/monitor_heart:"),
    PageDef("incentives", "nav.incentives", ":material/redeem:"),
    PageDef("admin_routing", "nav.routing", ":material/alt_route:", ADMIN),
    PageDef("admin_steps", "nav.steps", ":material/rule:", ADMIN),
    PageDef("admin_settings", "nav.settings", ":material/tune:", ADMIN),
    PageDef("admin_users", "nav.users", ":material/group:", ADMIN),
    PageDef("admin_audit", "nav.audit", ":material/history:", ADMIN),
    PageDef("admin_import", "nav.import", ":material/upload_file:", ADMIN),
    PageDef("admin_channels", "nav.channels", ":material/campaign:", ADMIN),
    PageDef("admin_jobs", "nav.jobs", ":material/schedule:", ADMIN),
)


def pages_for(role: str) -> list[PageDef]:
    return [p for p in PAGES if access.may_open(role, p.name)]


def navigation(ctx: Ctx):
    sections: dict[str, list] = {}
    for i, p in enumerate(pages_for(ctx.role)):
        page = st.Page(p.path, title=ctx.t(p.title_key), icon=p.icon, default=(i == 0))
        sections.setdefault(ctx.t(p.section), []).append(page)
    return st.navigation(sections, position="sidebar", expanded=True)  # every page, no "view more"


def sidebar(ctx: Ctx) -> None:
    with st.sidebar:
        st.markdown(f"**{ctx.account.display_name}** · {ctx.t('role.' + ctx.role)}")
        _unread_badge(ctx)  # the alert store
        st.selectbox(ctx.t("nav.language"), list(LANGUAGES), format_func=LANGUAGES.get,
                     index=list(LANGUAGES).index(ctx.lang), key="ui_lang", on_change=_change_language, args=(ctx,))
        if st.button(ctx.t("login.logout"), key="logout_button", icon=":material/logout:"):
            auth.logout()
            st.rerun()


def _change_language(ctx: Ctx) -> None:
    write.submit(ctx, "language", users.set_language, st.session_state["ui_lang"])


# ---- the alert store: the unread count in the sidebar ----
def _unread_badge(ctx: Ctx) -> None:
    n = read(inbox.unread_count, ctx.scope)
    if n:
        st.page_link("pages/inbox.py", label=ctx.t("nav.unread", n=n), icon=":material/notifications_active:")
