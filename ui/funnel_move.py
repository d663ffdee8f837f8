"""The move-stage form on an opened deal (SPEC §4): forward asks for the new stage's evidence, back or
lost for a reason. core.funnel.deals.move_stage validates, writes and checks the version the person saw;
an error shows at its field, nothing is saved then."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core.funnel import deals
from core.base.errors import UserError
from ui import context
from ui.context import Ctx

ERROR = "funnel_move_error"  # (opportunity id, target, field, message) of the last refused move
DONE = "funnel_move_done"    # the confirmation of the last move, shown once
FIELDS = ("to_stage", "evidence", "reason")


def _keys(opp_id: int, version: int) -> tuple[str, str, str]:
    """Widget keys per deal and version: after a move (a new version) the form starts empty."""
    return tuple(f"move_{part}_{opp_id}_{version}" for part in ("to", "evidence", "reason"))


def _submit(ctx: Ctx, opp_id: int, version: int, name: str) -> None:
    to_key, ev_key, reason_key = _keys(opp_id, version)
    to = st.session_state.get(to_key)
    try:
        with context.write() as session:
            result = deals.move_stage(session, ctx.scope, opp_id, to, st.session_state.get(ev_key, ""),
                                      st.session_state.get(reason_key, ""), version, context.now())
    except UserError as exc:
        st.session_state[ERROR] = (opp_id, to, exc.field, exc.message(ctx.lang))
        return
    st.session_state.pop(ERROR, None)
    for key in (to_key, ev_key, reason_key):
        st.session_state.pop(key, None)
    st.session_state[DONE] = ctx.t("deals.moved", name=name, stage=ctx.t(f"funnel.stage.{result.to_stage}"))


def _option(ctx: Ctx, to: str | None, options: dict) -> str:
    if to is None:
        return ctx.t("deals.choose_stage")
    kind = "won" if to == deals.WON else options[to][0]
    return ctx.t(f"deals.option.{kind}", stage=ctx.t(f"funnel.stage.{to}"))


def move_form(ctx: Ctx, deal: pd.Series) -> None:
    """The form under a deal's timeline; a note instead when the deal is closed or not the user's to move."""
    opp_id = int(deal["id"])
    done = st.session_state.pop(DONE, None)
    if done:
        st.success(done, icon=":material/check_circle:")
    err = st.session_state.get(ERROR)
    if err and err[0] == opp_id and err[2] not in FIELDS:  # a conflict or a refusal: said once, above the form
        st.session_state.pop(ERROR, None)
        st.error(err[3])
        err = None
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
        if not (err and err[0] == opp_id and err[1] == to):  # a field's error belongs to the target it was for
            err = None
        shown = None
        if to is not None:
            kind, evidence = options[to]
            if kind == "forward":
                c2.text_input(ctx.t("deals.evidence_label", evidence=ctx.t(f"deals.evidence.{evidence}")), key=ev_key,
                              max_chars=deals.EVIDENCE_MAX, help=ctx.t("deals.evidence_help"))
                shown = "evidence"
                if err and err[2] == "evidence":
                    c2.error(err[3])
                c2.text_input(ctx.t("deals.note_label"), key=reason_key, max_chars=deals.REASON_MAX)
            else:
                c2.text_input(ctx.t("deals.reason_label"), key=reason_key, max_chars=deals.REASON_MAX,
                              help=ctx.t("deals.reason_help"))
                shown = "reason"
                if err and err[2] == "reason":
                    c2.error(err[3])
            c1.button(ctx.t("deals.move_button"), key=f"move_button_{opp_id}_{version}", type="primary",
                      on_click=_submit, args=(ctx, opp_id, version, str(deal["name"])))
        if err and err[2] != shown:  # e.g. the target itself: under the form
            st.error(err[3])
