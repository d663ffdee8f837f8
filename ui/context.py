"""The running app's shared pieces: configuration, engine, the logged-in person and their language.

Only the ui package opens sessions (ui.read for reads, ui.write for the unit of work, ui.auth for
the login); pages never see one.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import streamlit as st

from core.base import access, config
from core.base.clock import now as clock_now
from core.base.db import DatabaseUnavailable, check_connection, data_version, engine_for
from core.base.i18n import t as translate
from core.base.scope import Scope
from core.base.users import Account

CTX_KEY = "cockpit_ctx"


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

    def may(self, action: str) -> bool:
        """Whether this person's role may take ``action`` (core.base.access): pages offer a form only then."""
        return access.may(self.role, action)


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

