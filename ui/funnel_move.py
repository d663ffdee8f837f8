"""The move-stage form on an opened deal (SPEC §4): forward asks for the new stage's evidence, back or
lost for a reason. core.funnel.deals.move_stage validates, writes and checks the version the person saw;
the form sends it through ui.write.submit: an error shows at its field, nothing is saved then."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core.funnel import deals
from ui import context
from ui.context import Ctx
from ui.write import clear_error, error_of, flash, submit

FIELDS = ("to_stage", "evidence", "reason")


def _keys(opp_id: int, version: int) -> tuple[str, str, str]:
    """Widget keys per deal and version: after a move (a new version) the form starts empty."""
    return tuple(f"move_{part}_{opp_id}_{version}" for part in ("to", "evidence", "reason"))


def _form(opp_id: int, to: str | None) -> str:
    """The form of a move of this deal to ``to``: a field's error belongs to the target it was for."""
    return f"move_{opp_id}_{to}"


def _submit(ctx: Ctx, opp_id: int, version: int, name: str) -> None:
    keys = _keys(opp_id, version)
    to_key, ev_key, reason_key = keys
    to = st.session_state.get(to_key)
    if submit(ctx, _form(opp_id, to), deals.move_stage, opp_id, to, st.session_state.get(ev_key, ""),
              st.session_state.get(reason_key, ""), version, context.now(),
              done=lambda move: ctx.t("deals.moved", name=name, stage=ctx.t(f"funnel.stage.{move.to_stage}"))):
        for key in keys:
            st.session_state.pop(key, None)


def _refusal(opp_id: int) -> str | None:
    """The last refused move of this deal when it names none of the form's fields (a conflict, or the
    deal not the user's to move): said once, above the form."""
    for to in deals.TARGETS:
        form = _form(opp_id, to)
        message = error_of(form)
        if message and not any(error_of(form, field) for field in FIELDS):
            clear_error(form)
            return message
    return None


def _option(ctx: Ctx, to: str | None, options: dict) -> str:
    if to is None:
        return ctx.t("deals.choose_stage")
    kind = "won" if to == deals.WON else options[to][0]
    return ctx.t(f"deals.option.{kind}", stage=ctx.t(f"funnel.stage.{to}"))


def move_form(ctx: Ctx, deal: pd.Series) -> None:
    """The form under a deal's timeline; a note instead when the deal is closed or not the user's to move."""
    opp_id = int(deal["id"])
    for to in deals.TARGETS:
        flash(_form(opp_id, to))
    refusal = _refusal(opp_id)
    if refusal:
        st.error(refusal)
    if deal["status"] != "open":
        st.caption(ctx.t("deals.closed_note", status=ctx.t(f"funnel.status.{deal['status']}")))
        return
    if not deals.may_move(ctx.scope, int(deal["owner_id"]), int(deal["team_id"])):
        st.caption(ctx.t("deals.cannot_move"))
        return
    version = int(deal["version"])
    to_key, ev_key, reason_key = _keys(opp_id, version)
    options = {to: (kind, ev) for to, kind, ev in deals.targets(deal["stage"])}
    with st.container(border=True, key="funnel_move"):
        st.markdown(f"**{ctx.t('deals.move_title')}**")
        c1, c2 = st.columns([1, 2])
        to = c1.selectbox(ctx.t("deals.move_to"), [None, *options], key=to_key,
                          format_func=lambda s: _option(ctx, s, options))
        if to is None:
            return
        form = _form(opp_id, to)
        kind, evidence = options[to]
        if kind == "forward":
            c2.text_input(ctx.t("deals.evidence_label", evidence=ctx.t(f"deals.evidence.{evidence}")), key=ev_key,
                          max_chars=deals.EVIDENCE_MAX, help=ctx.t("deals.evidence_help"))
            shown = "evidence"
            if error_of(form, shown):
                c2.error(error_of(form, shown))
            c2.text_input(ctx.t("deals.note_label"), key=reason_key, max_chars=deals.REASON_MAX)
        else:
            c2.text_input(ctx.t("deals.reason_label"), key=reason_key, max_chars=deals.REASON_MAX,
                          help=ctx.t("deals.reason_help"))
            shown = "reason"
            if error_of(form, shown):
                c2.error(error_of(form, shown))
        c1.button(ctx.t("deals.move_button"), key=f"move_button_{opp_id}_{version}", type="primary",
                  on_click=_submit, args=(ctx, opp_id, version, str(deal["name"])))
        for field in FIELDS:  # e.g. the target itself: under the form
            if field != shown and error_of(form, field):
                st.error(error_of(form, field))
