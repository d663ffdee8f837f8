"""Transitional: the cached reader the pages not yet on ui.read use (removed once none is left)."""
from __future__ import annotations


import streamlit as st

from core.base import org
from core.base.db import read_session
from core.base.scope import Scope
from ui import context
from ui.read import minute  # noqa: F401  (transitional re-export)

TTL = 3600


@st.cache_data(ttl=TTL, max_entries=1024, show_spinner=False)
def _cached(fn_key: tuple, _read, scope_key: tuple, _scope: Scope, args: tuple, kwargs: tuple, version: int):
    with read_session(context.engine()) as session:
        return _read(_scope, session, *args, **dict(kwargs))


def cached(read, scope: Scope, *args, **kwargs):
    return _cached((read.__module__, read.__qualname__), read, scope.key, scope, args, tuple(sorted(kwargs.items())),
                   context.version())


def teams(scope: Scope):
    return cached(org.teams, scope)
