"""Cached readers. Every cache key holds the caller's scope key, the filters and the data version,
so no user sees another's cached rows and a write from any process shows at the next rerun."""
from __future__ import annotations

import importlib
from datetime import datetime

import pandas as pd
import streamlit as st

from core.base.query import Filters
from core.process import lights as cockpit
from core.base import org
from core.base.scope import Scope
from ui import context

TTL = 3600


def minute() -> datetime:
    """Now, to the minute: the moment figures are measured at, shared by a minute's reruns."""
    return context.now().replace(second=0, microsecond=0)


@st.cache_data(ttl=TTL, max_entries=1024, show_spinner=False)
def _cached(read_path: str, scope_key: tuple, _scope: Scope, args: tuple, kwargs: tuple, version: int):
    module, name = read_path.rsplit(".", 1)
    read = getattr(importlib.import_module(module), name)
    with context.reader() as session:
        return read(_scope, session, *args, **dict(kwargs))


def cached(read, scope: Scope, *args, **kwargs):
    """``read(scope, session, *args, **kwargs)`` through the cache, keyed on the read, the caller's
    scope key, the arguments and the data version. Every page reads through here."""
    return _cached(f"{read.__module__}.{read.__name__}", scope.key, scope, args, tuple(sorted(kwargs.items())),
                   context.version())


def lights(scope: Scope, filters: Filters, lang: str) -> list[cockpit.Light]:
    return cached(cockpit.lights, scope, filters, minute(), lang)


def missed_records(scope: Scope, code: str, filters: Filters) -> pd.DataFrame:
    return cached(cockpit.missed_records, scope, code, filters, minute())


def breakdown(scope: Scope, filters: Filters, codes: tuple[str, ...], lang: str) -> pd.DataFrame:
    """Rate per team (or rep) for every light: one row per group, one column per light (%)."""
    frames = []
    now = minute()
    for code in codes:
        df = cached(cockpit.misses_by_group, scope, code, filters, now)
        rate = (100.0 * (df["decided"] - df["misses"]) / df["decided"]).where(df["decided"] > 0)
        frames.append(pd.Series(rate.to_numpy(), index=cockpit.group_names(df, lang), name=code))
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, axis=1).sort_index()


def teams(scope: Scope) -> pd.DataFrame:
    return cached(org.teams, scope)
