"""Cached readers of the funnel page: keyed on the caller's scope, the filters, the minute and the
data version (st.cache_data is shared by every user of this process)."""
from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from core import funnel as core_funnel
from core.funnel import FunnelFilters
from core.scope import Scope
from ui import context

TTL = 3600


def _minute() -> datetime:
    return context.now().replace(second=0, microsecond=0)


@st.cache_data(ttl=TTL, max_entries=128, show_spinner=False)
def _funnel(scope_key: tuple, _scope: Scope, filters: FunnelFilters, now: datetime, version: int):
    with context.reader() as session:
        return core_funnel.funnel(_scope, session, filters, now)


def funnel(scope: Scope, filters: FunnelFilters) -> core_funnel.Funnel:
    return _funnel(scope.key, scope, filters, _minute(), context.version())


@st.cache_data(ttl=TTL, max_entries=128, show_spinner=False)
def _stage_deals(scope_key: tuple, _scope: Scope, stage: str, filters: FunnelFilters, now: datetime,
                 version: int) -> pd.DataFrame:
    with context.reader() as session:
        return core_funnel.stage_deals(_scope, session, stage, filters, now)


def stage_deals(scope: Scope, stage: str, filters: FunnelFilters) -> pd.DataFrame:
    return _stage_deals(scope.key, scope, stage, filters, _minute(), context.version())


@st.cache_data(ttl=TTL, max_entries=128, show_spinner=False)
def _stalled(scope_key: tuple, _scope: Scope, filters: FunnelFilters, now: datetime, version: int) -> pd.DataFrame:
    with context.reader() as session:
        return core_funnel.stalled_deals(_scope, session, filters, now)


def stalled_deals(scope: Scope, filters: FunnelFilters) -> pd.DataFrame:
    return _stalled(scope.key, scope, filters, _minute(), context.version())


@st.cache_data(ttl=TTL, max_entries=128, show_spinner=False)
def _win_rates(scope_key: tuple, _scope: Scope, filters: FunnelFilters, by: str, version: int) -> pd.DataFrame:
    with context.reader() as session:
        return core_funnel.win_rates(_scope, session, filters, by)


def win_rates(scope: Scope, filters: FunnelFilters, by: str) -> pd.DataFrame:
    return _win_rates(scope.key, scope, filters, by, context.version())


@st.cache_data(ttl=TTL, max_entries=128, show_spinner=False)
def _timeline(scope_key: tuple, _scope: Scope, opportunity_id: int, now: datetime, version: int):
    with context.reader() as session:
        return core_funnel.timeline(_scope, session, opportunity_id, now)


def timeline(scope: Scope, opportunity_id: int) -> core_funnel.Timeline | None:
    return _timeline(scope.key, scope, opportunity_id, _minute(), context.version())


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def _options(scope_key: tuple, _scope: Scope, version: int) -> dict:
    with context.reader() as session:
        return core_funnel.filter_options(_scope, session)


def filter_options(scope: Scope) -> dict:
    return _options(scope.key, scope, context.version())
