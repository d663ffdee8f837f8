"""Cached readers. Every cache key holds the caller's scope key, the filters and the data version,
so no user sees another's cached rows and a write from any process shows at the next rerun."""
from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from core import cockpit, org
from core.scope import Scope
from ui import context

TTL = 3600


def _minute(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


@st.cache_data(ttl=TTL, max_entries=256, show_spinner=False)
def _lights(scope_key: tuple, _scope: Scope, filters: cockpit.Filters, now: datetime, lang: str, version: int):
    with context.reader() as session:
        return cockpit.lights(_scope, session, filters, now, lang)


def lights(scope: Scope, filters: cockpit.Filters, lang: str) -> list[cockpit.Light]:
    return _lights(scope.key, scope, filters, _minute(context.now()), lang, context.version())


@st.cache_data(ttl=TTL, max_entries=256, show_spinner=False)
def _missed_records(scope_key: tuple, _scope: Scope, code: str, filters: cockpit.Filters, now: datetime,
                    version: int) -> pd.DataFrame:
    with context.reader() as session:
        return cockpit.missed_records(_scope, session, code, filters, now)


def missed_records(scope: Scope, code: str, filters: cockpit.Filters) -> pd.DataFrame:
    return _missed_records(scope.key, scope, code, filters, _minute(context.now()), context.version())


@st.cache_data(ttl=TTL, max_entries=256, show_spinner=False)
def _breakdown(scope_key: tuple, _scope: Scope, filters: cockpit.Filters, now: datetime, version: int,
               codes: tuple[str, ...]) -> pd.DataFrame:
    """Rate per team (or rep) for every light: one row per group, one column per light (%)."""
    frames = []
    with context.reader() as session:
        for code in codes:
            df = cockpit.misses_by_group(_scope, session, code, filters, now)
            rate = (100.0 * (df["decided"] - df["misses"]) / df["decided"]).where(df["decided"] > 0)
            frames.append(pd.Series(rate.to_numpy(), index=df["name"], name=code))
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, axis=1).sort_index()


def breakdown(scope: Scope, filters: cockpit.Filters, codes: tuple[str, ...]) -> pd.DataFrame:
    return _breakdown(scope.key, scope, filters, _minute(context.now()), context.version(), codes)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def _teams(scope_key: tuple, _scope: Scope, version: int) -> pd.DataFrame:
    with context.reader() as session:
        return org.teams(_scope, session)


def teams(scope: Scope) -> pd.DataFrame:
    return _teams(scope.key, scope, context.version())
