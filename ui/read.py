"""The one way a page reads: ``read(core_fn, scope, *args)``.

Every result is cached, keyed on the read function itself, the caller's scope, the arguments and
the data version stored in the database — so no user sees another's cached rows, and a write made
by any app server or job shows at the next rerun.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

import streamlit as st

from core.base import rules
from core.base.db import read_session
from core.base.scope import Scope, ScopeError
from ui import context

TTL = 3600


def minute() -> datetime:
    """Now, to the minute: the moment figures are measured at, shared by a minute's reruns."""
    return context.now().replace(second=0, microsecond=0)


@st.cache_data(ttl=TTL, max_entries=1024, show_spinner=False)
def _cached(fn_key: tuple[str, str], _fn: Callable, scope_key: tuple, _scope: Scope, args: tuple, kwargs: tuple,
            version: int):
    with read_session(context.engine()) as session:
        return _fn(_scope, session, *args, **dict(kwargs))


def read(fn: Callable, scope: Scope, *args: Any, **kwargs: Any) -> Any:
    """``fn(scope, session, *args, **kwargs)`` — a scoped read of core — through the cache."""
    if getattr(fn, "read_kind", None) is None:
        raise TypeError(f"{fn.__module__}.{fn.__qualname__} is not a core read (@scoped_read or @company_read)")
    if not isinstance(scope, Scope):
        raise ScopeError(f"{fn.__qualname__} needs the caller's Scope")
    return _cached((fn.__module__, fn.__qualname__), fn, scope.key, scope, args, tuple(sorted(kwargs.items())),
                   context.version())


def settings(scope: Scope) -> dict:
    """Every threshold, window and weight (the settings table over the defaults)."""
    return read(rules.current_settings, scope)
