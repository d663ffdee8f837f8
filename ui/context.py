"""The running app's shared pieces: configuration, engine, the logged-in person and their language."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import streamlit as st

from core.base import config
from core.base import rules
from core.base.clock import now as clock_now
from core.base.db import DatabaseUnavailable, check_connection, data_version, engine_for, read_session, write_tx
from core.base.i18n import t as translate
from core.base.scope import Scope
from core.base.users import Account

CTX_KEY = "cockpit_ctx"
HOME_RAN = "cockpit_home_ran"


@dataclass(frozen=True)
class Ctx:
    account: Account
    scope: Scope
    lang: str

    @property
    def role(self) -> str:
        return self.account.role

    def t(self, key: str, /, **kw) -> str:
        return translate(self.lang, key, **kw)


@st.cache_resource(show_spinner=False)
def _config() -> config.Config:
    return config.load()


def app_config() -> config.Config:
    return _config()


def engine():
    return engine_for(app_config().database_url)


def connect_or_stop() -> None:
    """Check the database answers; otherwise say so plainly (in both languages: nobody is known
    yet) and stop the page."""
    try:
        check_connection(engine())
    except config.ConfigError as exc:
        st.error(f"配置错误 / Configuration error: {exc}")
        st.stop()
    except DatabaseUnavailable as exc:
        st.error(translate("zh", "err.db_unavailable") + "\n\n" + translate("en", "err.db_unavailable"))
        st.caption(str(exc))
        st.stop()


def version() -> int:
    """The data version this rerun reads at: part of every cache key."""
    return data_version(engine())


def now() -> datetime:
    return clock_now()


def current() -> Ctx:
    """The logged-in person's context, checked in this very run.

    Home.py checks the login before it runs a page. Streamlit can also run a file of ``pages/`` on
    its own (a deep link right after the server starts, before any session has built the
    navigation): then the page checks the login itself, so no page ever runs unchecked.
    """
    if not st.session_state.pop(HOME_RAN, False):
        from ui import auth

        return auth.require_login()
    ctx = st.session_state.get(CTX_KEY)
    if ctx is None:
        st.stop()
    return ctx


def require_role(*roles: str) -> Ctx:
    """Stop the page for a role that may not use it (navigation already hides it)."""
    ctx = current()
    if ctx.role not in roles:
        st.error(ctx.t("err.forbidden"))
        st.stop()
    return ctx


def settings() -> dict:
    return _settings(version())


@st.cache_data(show_spinner=False, max_entries=8)
def _settings(data_version_: int) -> dict:
    with read_session(engine()) as session:
        return rules.all_settings(session)


def write():
    """The unit of work for a page's write (commits all or nothing)."""
    return write_tx(engine())


def reader():
    return read_session(engine())
