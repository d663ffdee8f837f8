"""Key process steps (关键过程步骤): the admin edits the step rules of SPEC §5 — after a trigger, an
action with its required content within N hours. A change applies to new triggers only and is
written to the audit log; a rule changed by someone else meanwhile is not overwritten."""
import streamlit as st

from core.process import steps
from ui import context, page, widgets
from ui.read import read
from ui.write import error_of, field_error, flash, submit

ctx = page.open(__file__)
S = st.session_state
FORM, NEW = "steps", "__new__"

st.title(ctx.t("steps.title"))
st.caption(ctx.t("steps.caption"))

rules_df = read(steps.step_rules, ctx.scope)


def name_of(row) -> str:
    return row["name_zh"] if ctx.lang == "zh" else row["name_en"]


def field_label(key: str) -> str:
    return ctx.t(f"process.f.{key}")


# ---- the rules as a table ---------------------------------------------------------------------
table = rules_df.assign(
    trigger=rules_df["trigger"].map(lambda v: ctx.t(f"process.trigger.{v}")),
    action=rules_df["action"].map(lambda v: ctx.t(f"process.kind.{v}")),
    required_fields=rules_df["required_fields"].map(lambda keys: ctx.t("list.sep").join(field_label(k) for k in keys)),
    active=rules_df["active"].map(lambda v: ctx.t("visit.yes" if v else "visit.no")),
)[["code", "name_zh", "name_en", "trigger", "action", "within_hours", "required_fields", "active"]]
table = table.rename(columns=field_label)
st.dataframe(table, hide_index=True, width="stretch", key="steps_table")
widgets.export_buttons(ctx, table, "process-steps", key="steps_export")

# ---- one rule in a form -------------------------------------------------------------------------
rules = {row["code"]: row for row in rules_df.to_dict("records")}
st.subheader(ctx.t("steps.edit"))
picked = st.selectbox(ctx.t("steps.pick"), [*rules, NEW], key="steps_pick",
                      format_func=lambda c: ctx.t("steps.new") if c == NEW else f"{name_of(rules[c])} ({c})")
current = rules.get(picked)
# the rule's values as the form opened it: the save is refused if they changed meanwhile
S.setdefault("steps_opened", {})
if picked != NEW and S["steps_opened"].get("code") != picked:
    S["steps_opened"] = {"code": picked, **{k: current[k] for k in steps.STEP_FIELDS}}


def save(c) -> None:
    """The form's submit callback: the rule as typed, checked against the rule as the form opened it."""
    code = S["steps_pick"] if S["steps_pick"] != NEW else S.get("steps_code", "")
    expected = None
    if S["steps_pick"] != NEW:
        expected = {k: v for k, v in S["steps_opened"].items() if k != "code"}
    name = S.get(f"steps_name_{'zh' if c.lang == 'zh' else 'en'}_{picked}") or code
    saved = submit(c, FORM, steps.save_step, code, S.get(f"steps_name_en_{picked}"), S.get(f"steps_name_zh_{picked}"),
                   S.get(f"steps_trigger_{picked}"), S.get(f"steps_action_{picked}"), S.get(f"steps_hours_{picked}"),
                   S.get(f"steps_fields_{picked}") or [], bool(S.get(f"steps_active_{picked}")),
                   expected=expected, now=context.now(), done=lambda _: c.t("steps.saved", name=name))
    if saved or error_of(FORM, None):  # saved, or changed meanwhile: the form shows the rule as it is now
        forget(picked)


def forget(code: str) -> None:
    """Drop the form's inputs and its snapshot of ``code``: the next run shows the stored rule."""
    S["steps_opened"] = {}
    for key in [k for k in S if str(k).startswith("steps_") and str(k).endswith(f"_{code}")]:
        del S[key]


with st.form(f"steps_form_{picked}"):
    field_error(FORM, None)
    if picked == NEW:
        st.text_input(field_label("code"), key="steps_code", max_chars=40, placeholder="e.g. complaint_closed")
        field_error(FORM, "code")
    c1, c2 = st.columns(2)
    with c1:
        st.text_input(field_label("name_zh"), value=current["name_zh"] if current else "", key=f"steps_name_zh_{picked}",
                      max_chars=80)
        field_error(FORM, "name_zh")
    with c2:
        st.text_input(field_label("name_en"), value=current["name_en"] if current else "", key=f"steps_name_en_{picked}",
                      max_chars=80)
        field_error(FORM, "name_en")
    c3, c4, c5 = st.columns([2, 2, 1])
    with c3:
        st.selectbox(field_label("trigger"), steps.TRIGGERS, key=f"steps_trigger_{picked}",
                     index=steps.TRIGGERS.index(current["trigger"]) if current else 0,
                     format_func=lambda v: ctx.t(f"process.trigger.{v}"))
        field_error(FORM, "trigger")
    with c4:
        action_default = current["action"] if current else steps.ACTIONS[0]
        st.selectbox(field_label("action"), steps.ACTIONS, key=f"steps_action_{picked}",
                     index=steps.ACTIONS.index(action_default), format_func=lambda v: ctx.t(f"process.kind.{v}"))
        field_error(FORM, "action")
    with c5:
        st.number_input(field_label("within_hours"), min_value=1.0, max_value=steps.WITHIN_HOURS_MAX, step=1.0,
                        value=float(current["within_hours"]) if current else steps.NEW_STEP_HOURS,
                        key=f"steps_hours_{picked}", format="%g")
        field_error(FORM, "within_hours")
    # every field of every action's form: the save checks they belong to the chosen action's form
    st.multiselect(field_label("required_fields"), steps.ACTION_FIELDS,
                   default=current["required_fields"] if current else [],
                   key=f"steps_fields_{picked}", format_func=field_label, help=ctx.t("steps.fields_help"))
    field_error(FORM, "required_fields")
    st.toggle(field_label("active"), value=bool(current["active"]) if current else True, key=f"steps_active_{picked}")
    field_error(FORM, "active")
    st.form_submit_button(ctx.t("steps.save"), type="primary", on_click=save, args=(ctx,), icon=":material/save:")

flash(FORM)
