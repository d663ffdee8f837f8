"""The one way a page writes: ``submit(ctx, form, core_write, *args, done=…)``.

It opens the unit of work (everything commits together, or nothing does; the data version is
bumped so every cached read sees the write), calls one core write ``fn(session, scope, …)``, and
remembers the outcome for the next run: a refused input's message at its field (``field_error``),
a refusal of the role or scope for the whole form (``form_error``), or the success message
(``flash``). Works inline after a submit button and as a button's ``on_click`` callback.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import streamlit as st

from core.base.db import write_tx
from core.base.errors import UserError
from core.base.scope import ScopeError
from ui import context
from ui.context import Ctx

ERROR = "write_error"  # (form, field, message, {field: message} of every refused field) of the last refused write
DONE = "write_done"  # (form, message) of the last write that succeeded
ANY = object()  # field_error(form, ANY): the form's error whatever its field


@dataclass(frozen=True)
class Outcome:
    """What ``submit`` did: true when the write went through, with what the core write returned."""
    ok: bool
    result: Any = None

    def __bool__(self) -> bool:
        return self.ok


def submit(ctx: Ctx, form: str, fn: Callable, *args: Any, done: str | Callable[[Any], str] | None = None,
           clear: tuple[str, ...] = (), **kwargs: Any) -> Outcome:
    """Run ``fn(session, ctx.scope, *args, **kwargs)`` in one transaction; the Outcome is true when it
    was written, and carries fn's result.

    ``done``: a text key, or a function of fn's result giving the success message. ``clear``: the
    widget keys to empty after a success (text keys ending in ``_text`` become "", others None).
    """
    s = st.session_state
    s.pop(ERROR, None)
    s.pop(DONE, None)
    try:
        with write_tx(context.engine()) as session:
            result = fn(session, ctx.scope, *args, **kwargs)
    except UserError as exc:
        s[ERROR] = (form, exc.field, exc.message(ctx.lang), _every_field(exc, ctx.lang))
        return Outcome(False)
    except ScopeError as exc:  # the role (core.base.access) or the scope refused it
        s[ERROR] = (form, None, exc.message(ctx.lang) if hasattr(exc, "message") else ctx.t("err.forbidden"))
        return Outcome(False)
    if done is not None:
        s[DONE] = (form, done(result) if callable(done) else ctx.t(done))
    for key in clear:
        s[key] = "" if key.endswith("_text") else None
    return Outcome(True, result)


def _every_field(exc: UserError, lang: str) -> dict:
    """{field: message} of every refused field of a form refused at once (``exc.errors``: a dict or
    a list of UserErrors, as core.process.capture.InvalidActivity and core.leads.desk.InvalidLead
    carry them); the first message of each field."""
    errors = getattr(exc, "errors", None)
    out: dict = {}
    for e in (errors.values() if isinstance(errors, dict) else errors or ()):
        if isinstance(e, UserError):
            out.setdefault(e.field, e.message(lang))
    return out


def error_of(form: str, field: Any = ANY) -> str | None:
    """The message of the form's last refused write at ``field`` (ANY: whatever its field). A form
    refused at several fields at once has a message at each."""
    err = st.session_state.get(ERROR)
    if err and err[0] == form:
        if field is ANY or err[1] == field:
            return err[2]
        if len(err) > 3:
            return err[3].get(field)
    return None


def field_error(form: str, field: Any = None) -> None:
    """Show the form's refusal at ``field`` (None: the refusals that name no field)."""
    message = error_of(form, field)
    if message:
        st.error(message, icon=":material/error:")


def form_error(form: str, label: Callable[[str | None], str] | None = None) -> None:
    """Show the form's refusal whatever its field, prefixed by ``label(field)`` when given."""
    err = st.session_state.get(ERROR)
    if err and err[0] == form:
        prefix = label(err[1]) if label is not None and err[1] else ""
        st.error(f"{prefix}: {err[2]}" if prefix else err[2], icon=":material/error:")


def flash(form: str | None = None, *, toast: bool = False) -> None:
    """Show (once) the success message of ``form``'s last write (None: of any form); as a toast when
    the page shows what was saved itself."""
    got = st.session_state.get(DONE)
    if got and (form is None or got[0] == form):
        st.session_state.pop(DONE)
        (st.toast if toast else st.success)(got[1], icon=":material/check_circle:")


def clear_error(form: str) -> None:
    err = st.session_state.get(ERROR)
    if err and err[0] == form:
        st.session_state.pop(ERROR)
