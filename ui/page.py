"""The page guard: every page starts with ``ctx = page.open(__file__)``.

It returns the logged-in person's context, checked in this very run, and stops the page for a role
that core.base.access.PAGES does not let open it (the navigation already hides it).
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.base import access
from ui import auth
from ui.context import CTX_KEY, Ctx

HOME_RAN = "cockpit_home_ran"


def current() -> Ctx:
    """The logged-in person's context.

    Home.py checks the login before it runs a page. Streamlit can also run a file of ``pages/`` on
    its own (a deep link right after the server starts, before any session has built the
    navigation): then the page checks the login itself, so no page ever runs unchecked.
    """
    if not st.session_state.pop(HOME_RAN, False):
        return auth.require_login()
    ctx = st.session_state.get(CTX_KEY)
    if ctx is None:
        st.stop()
    return ctx


def open(file: str) -> Ctx:  # noqa: A001 (a page's first line reads `page.open(__file__)`)
    """The context of the person opening the page ``file``, or a refusal and a stop."""
    ctx = current()
    if not access.may_open(ctx.role, Path(file).stem):
        st.error(ctx.t("err.forbidden"))
        st.stop()
    return ctx
