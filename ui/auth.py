"""Login through streamlit-authenticator over the users in the database.

One ``Authenticate`` per script run (the entrypoint). The form is ours, so that empty fields,
a locked account and a wrong password each get a clear message in the user's language, and failed
logins are counted in the database. Cookies issued before a logout or password change are refused.
"""
from __future__ import annotations

import copy
from datetime import datetime, timedelta

import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities import LoginError

from core.base import rules, users
from core.base.db import read_session, write_tx
from core.base.clock import wall
from core.base.errors import UserError
from core.base.i18n import t
from core.base.vocabulary import LANGUAGES
from core.base.scope import scope_for
from ui import context

LOGIN_FORM = "login_form"


# Before anyone is known there is no scope to read with: the login reads the credentials and the
# default language itself, cached on the data version like every read.
@st.cache_data(show_spinner=False, max_entries=4)
def _credentials(data_version: int) -> dict:
    with read_session(context.engine()) as session:
        return users.credentials(session)


@st.cache_data(show_spinner=False, max_entries=4)
def _default_language(data_version: int) -> str:
    with read_session(context.engine()) as session:
        return rules.get(session, "default_language")


def _authenticator() -> stauth.Authenticate:
    cfg = context.app_config()
    creds = copy.deepcopy(_credentials(context.version()))  # the library mutates what it is given
    return stauth.Authenticate(creds, cfg.cookie_name, cfg.cookie_key, cfg.cookie_expiry_days,
                               auto_hash=False, login_sleep_time=0)


def _login_lang() -> str:
    lang = st.session_state.get("login_lang")
    return lang if lang in LANGUAGES else _default_language(context.version())


def _cookie_login(auth: stauth.Authenticate) -> None:
    """Log in from a valid, unrevoked cookie."""
    token = auth.cookie_controller.get_cookie()
    if not token:
        return
    try:
        with read_session(context.engine()) as session:
            acct = users.account(session, token["username"])
    except users.UnknownUser:
        auth.cookie_controller.delete_cookie()
        return
    issued = datetime.fromtimestamp(token["exp_date"]) - timedelta(days=context.app_config().cookie_expiry_days)
    if not users.cookie_accepted(acct, issued):
        auth.cookie_controller.delete_cookie()
        return
    try:
        auth.authentication_controller.login(token=token)
        st.session_state["login_at"] = issued
    except LoginError:
        auth.cookie_controller.delete_cookie()


def _login_form(auth: stauth.Authenticate) -> None:
    box = st.empty()  # cleared after a successful login, so the first page shows in the same run
    with box.container():
        ok = _login_form_body(auth)
    if ok:
        box.empty()
        # outside the cleared box: the cookie is written by a component that must stay on the page
        auth.cookie_controller.set_cookie()


def _login_form_body(auth: stauth.Authenticate) -> bool:
    lang = _login_lang()
    st.title(t(lang, "app.title"))
    st.radio("Language / 语言", list(LANGUAGES), format_func=LANGUAGES.get, horizontal=True, key="login_lang",
             index=list(LANGUAGES).index(lang))
    with st.form(LOGIN_FORM):
        st.subheader(t(lang, "login.title"))
        username = st.text_input(t(lang, "login.username"), key="login_username")
        password = st.text_input(t(lang, "login.password"), type="password", key="login_password")
        submitted = st.form_submit_button(t(lang, "login.submit"), type="primary")
    if not submitted:
        st.caption(t(lang, "login.hint"))
        return False
    username = (username or "").strip().lower()
    if not username or not password:
        st.error(t(lang, "login.empty"))
        return False
    now = wall()
    with write_tx(context.engine()) as session:
        until = users.locked_until(session, username, now)
    if until is not None:
        st.error(t(lang, "login.locked", time=until.strftime("%H:%M")))
        return False
    ok = bool(auth.authentication_controller.login(username, password))
    with write_tx(context.engine()) as session:
        users.record_login(session, username, ok, now)
    if not ok:
        st.session_state["authentication_status"] = None
        st.error(t(lang, "login.wrong"))
        return False
    st.session_state["logout"] = False
    st.session_state["login_at"] = now
    return True


def require_login() -> context.Ctx:
    """Return the logged-in person's context, or show the login form and stop the run."""
    context.connect_or_stop()
    auth = _authenticator()
    st.session_state["_authenticator"] = auth
    if not st.session_state.get("authentication_status"):
        _cookie_login(auth)
    if not st.session_state.get("authentication_status"):
        _login_form(auth)
        if not st.session_state.get("authentication_status"):
            st.stop()
    try:
        with read_session(context.engine()) as session:
            acct = users.account(session, st.session_state["username"])
            scope = scope_for(session, session.get(users.User, acct.id))
    except users.UnknownUser:  # deactivated since this session logged in
        logout(revoke=False)
        _login_form(auth)
        st.stop()
    login_at = st.session_state.setdefault("login_at", wall())
    if not users.cookie_accepted(acct, login_at):  # logged out elsewhere, or password changed
        logout(revoke=False)
        _login_form(auth)
        st.stop()
    lang = acct.language or st.session_state.get("login_lang") or _default_language(context.version())
    if acct.must_change_password and not _first_password_form(auth, acct, scope, lang):
        st.stop()  # an initial password: nothing else until they chose their own
    ctx = context.Ctx(acct, scope, lang)
    st.session_state[context.CTX_KEY] = ctx
    return ctx


FIRST_PASSWORD_FORM = "first_password_form"


def _first_password_form(auth: stauth.Authenticate, acct: users.Account, scope, lang: str) -> bool:
    """Ask a user logged in with an initial password for their own; true once it is saved (the
    session goes on with a fresh cookie, older ones stop working)."""
    box = st.empty()  # cleared once saved, so the first page shows in the same run
    with box.container():
        ok = _first_password_body(acct, scope, lang)
    if ok:
        box.empty()
        auth.cookie_controller.set_cookie()  # issued now: not refused by the revocation just written
    return ok


def _first_password_body(acct: users.Account, scope, lang: str) -> bool:
    st.title(t(lang, "app.title"))
    with st.form(FIRST_PASSWORD_FORM):
        st.subheader(t(lang, "company.first.title"))
        st.caption(t(lang, "company.first.caption", name=acct.display_name, n=users.MIN_PASSWORD))
        new = st.text_input(t(lang, "company.first.new"), type="password", key="first_password_new")
        again = st.text_input(t(lang, "company.first.again"), type="password", key="first_password_again")
        submitted = st.form_submit_button(t(lang, "company.first.submit"), type="primary")
    if not submitted:
        return False
    if new != again:
        st.error(t(lang, "company.first.mismatch"))
        return False
    now = wall()
    try:
        with write_tx(context.engine()) as session:
            users.set_password(session, scope, acct.id, new, now)
    except UserError as exc:
        st.error(exc.message(lang))
        return False
    st.session_state["login_at"] = wall()
    return True


def logout(revoke: bool = True) -> None:
    """End this session, delete the cookie, and (by default) refuse every older cookie of the user."""
    ctx = st.session_state.get(context.CTX_KEY)
    if revoke and ctx is not None:
        with write_tx(context.engine()) as session:
            users.revoke_sessions(session, ctx.account.id, wall())
    auth = st.session_state.get("_authenticator")
    if auth is not None:
        auth.authentication_controller.logout()
        auth.cookie_controller.delete_cookie()
    for key in (context.CTX_KEY, "login_at"):
        st.session_state.pop(key, None)
    st.session_state["authentication_status"] = None
