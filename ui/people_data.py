"""Cached readers of the People pages (SPEC §8). As in ui.data, every cache key holds the caller's
scope key, the arguments and the data version, so nobody sees another's cached rows and a write
from any process shows at the next rerun."""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from core import people, users
from core.scope import Scope
from ui import context

TTL = 3600


@st.cache_data(ttl=TTL, max_entries=128, show_spinner=False)
def _reps(scope_key: tuple, _scope: Scope, version: int) -> pd.DataFrame:
    with context.reader() as session:
        df = users.list_users(_scope, session)
    reps = df[(df["role"] == "rep") & df["active"].astype(bool)]
    return reps[["id", "display_name", "team", "team_id"]].sort_values(["team", "display_name"]).reset_index(drop=True)


def reps(scope: Scope) -> pd.DataFrame:
    """Active reps the caller may see: id, display_name, team, team_id (a rep: only themself)."""
    return _reps(scope.key, scope, context.version())


@st.cache_data(ttl=TTL, max_entries=256, show_spinner=False)
def _radar(scope_key: tuple, _scope: Scope, rep_id: int, version: int) -> pd.DataFrame:
    with context.reader() as session:
        return people.capability_radar(_scope, session, rep_id)


def radar(scope: Scope, rep_id: int) -> pd.DataFrame:
    return _radar(scope.key, scope, rep_id, context.version())


@st.cache_data(ttl=TTL, max_entries=256, show_spinner=False)
def _history(scope_key: tuple, _scope: Scope, rep_id: int, version: int) -> pd.DataFrame:
    with context.reader() as session:
        return people.capability_history(_scope, session, rep_id)


def history(scope: Scope, rep_id: int) -> pd.DataFrame:
    return _history(scope.key, scope, rep_id, context.version())


@st.cache_data(ttl=TTL, max_entries=256, show_spinner=False)
def _coaching_records(scope_key: tuple, _scope: Scope, rep_id: int | None, version: int) -> pd.DataFrame:
    with context.reader() as session:
        return people.coaching_records(_scope, session, rep_id=rep_id)


def coaching_records(scope: Scope, rep_id: int | None = None) -> pd.DataFrame:
    return _coaching_records(scope.key, scope, rep_id, context.version())


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def _coverage(scope_key: tuple, _scope: Scope, today: date, version: int) -> pd.DataFrame:
    with context.reader() as session:
        return people.coaching_coverage(_scope, session, today)


def coverage(scope: Scope, today: date) -> pd.DataFrame:
    return _coverage(scope.key, scope, today, context.version())


@st.cache_data(ttl=TTL, max_entries=256, show_spinner=False)
def _articles(scope_key: tuple, _scope: Scope, query: str, dimension: str | None, language: str | None,
              scenario_tag: str | None, limit: int, version: int) -> pd.DataFrame:
    with context.reader() as session:
        return people.search_articles(_scope, session, query, dimension=dimension, language=language,
                                      scenario_tag=scenario_tag, limit=limit)


def articles(scope: Scope, query: str = "", *, dimension: str | None = None, language: str | None = None,
             scenario_tag: str | None = None, limit: int = 100) -> pd.DataFrame:
    return _articles(scope.key, scope, query, dimension, language, scenario_tag, limit, context.version())
