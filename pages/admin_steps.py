"""Key process steps (关键过程步骤): the admin edits the step rules of SPEC §5 — after a trigger, an
action with its required content within N hours. A change applies to new triggers only and is
written to the audit log; a rule changed by someone else meanwhile is not overwritten."""
import streamlit as st

from core.process import capture as process
from core.base.scope import ScopeError
from ui import context, widgets

ctx = context.require_role("admin")
S = st.session_state
ERROR, DONE, NEW = "steps_error", "steps_done", "__new__"

st.title(ctx.t("steps.title"))
st.caption(ctx.t("steps.caption"))

with context.reader() as session:
    steps = process.step_rules(session)


def name_of(row) -> str:
    return row["name_zh"] if ctx.lang == "zh" else row["name_en"]


def field_label(key: str) -> str:
    return ctx.t(f"process.f.{key}")


def field_error(field: str | None) -> None:
    err = S.get(ERROR)
    if err and err[0] == field:
        st.error(err[1], icon=":material/error:")


# ---- the rules as a table ---------------------------------------------------------------------
table = steps.assign(
    trigger=steps["trigger"].map(lambda v: ctx.t(f"process.trigger.{v}")),
    action=steps["action"].map(lambda v: ctx.t(f"process.kind.{v}")),
    required_fields=steps["required_fields"].map(lambda keys: ctx.t("list.sep").join(field_label(k) for k in keys)),
    active=steps["active"].map(lambda v: ctx.t("visit.yes" if v else "visit.no")),
)[["code", "name_zh", "name_en", "trigger", "action", "within_hours", "required_fields", "active"]]
table = table.rename(columns=field_label)
st.dataframe(table, hide_index=True, width="stretch", key="steps_table")
widgets.export_buttons(ctx, table, "process-steps", key="steps_export")

# ---- one rule in a form -------------------------------------------------------------------------
rules = {row["code"]: row for row in steps.to_dict("records")}
st.subheader(ctx.t("steps.edit"))
picked = st.selectbox(ctx.t("steps.pick"), [*rules, NEW], key="steps_pick",
                      format_func=lambda c: ctx.t("steps.new") if c == NEW else f"{name_of(rules[c])} ({c})")
current = rules.get(picked)
# the rule's values as the form opened it: the save is refused if they changed meanwhile
S.setdefault("steps_opened", {})
if picked != NEW and S["steps_opened"].get("code") != picked:
    S["steps_opened"] = {"code": picked, **{k: current[k] for k in process.STEP_FIELDS}}


def save(c) -> None:
    s = S
    s.pop(ERROR, None)
    code = s["steps_pick"] if s["steps_pick"] != NEW else s.get("steps_code", "")
    expected = None
    if s["steps_pick"] != NEW:
        expected = {k: v for k, v in s["steps_opened"].items() if k != "code"}
    try:
        with context.write() as session:
            process.save_step(session, c.scope, code, s.get(f"steps_name_en_{picked}"), s.get(f"steps_name_zh_{picked}"),
                              s.get(f"steps_trigger_{picked}"), s.get(f"steps_action_{picked}"),
                              s.get(f"steps_hours_{picked}"), s.get(f"steps_fields_{picked}") or [],
                              bool(s.get(f"steps_active_{picked}")), expected=expected, now=context.now())
    except process.InvalidStep as exc:
        s[ERROR] = (exc.field, exc.message(c.lang))
        return
    except process.StepConflict as exc:
        s[ERROR] = (None, exc.message(c.lang))
        forget(picked)  # the form shows the rule as it is now
        return
    except ScopeError:
        s[ERROR] = (None, c.t("err.forbidden"))
        return
    s[DONE] = c.t("steps.saved", name=s.get(f"steps_name_{'zh' if c.lang == 'zh' else 'en'}_{picked}") or code)
    forget(picked)


def forget(code: str) -> None:
    """Drop the form's inputs and its snapshot of ``code``: the next run shows the stored rule."""
    S["steps_opened"] = {}
    for key in [k for k in S if str(k).startswith("steps_") and str(k).endswith(f"_{code}")]:
        del S[key]


with st.form(f"steps_form_{picked}"):
    field_error(None)
    if picked == NEW:
        st.text_input(field_label("code"), key="steps_code", max_chars=40, placeholder="e.g. complaint_closed")
        field_error("code")
    c1, c2 = st.columns(2)
    with c1:
        st.text_input(field_label("name_zh"), value=current["name_zh"] if current else "", key=f"steps_name_zh_{picked}",
                      max_chars=80)
        field_error("name_zh")
    with c2:
        st.text_input(field_label("name_en"), value=current["name_en"] if current else "", key=f"steps_name_en_{picked}",
                      max_chars=80)
        field_error("name_en")
    c3, c4, c5 = st.columns([2, 2, 1])
    with c3:
        st.selectbox(field_label("trigger"), process.TRIGGERS, key=f"steps_trigger_{picked}",
                     index=process.TRIGGERS.index(current["trigger"]) if current else 0,
                     format_func=lambda v: ctx.t(f"process.trigger.{v}"))
        field_error("trigger")
    with c4:
        action_default = current["action"] if current else process.ACTIONS[0]
        st.selectbox(field_label("action"), process.ACTIONS, key=f"steps_action_{picked}",
                     index=process.ACTIONS.index(action_default), format_func=lambda v: ctx.t(f"process.kind.{v}"))
        field_error("action")
    with c5:
        st.number_input(field_label("within_hours"), min_value=1.0, max_value=process.WITHIN_HOURS_MAX, step=1.0,
                        value=float(current["within_hours"]) if current else 24.0, key=f"steps_hours_{picked}",
                        format="%g")
        field_error("within_hours")
    # every field of every action's form: the save checks they belong to the chosen action's form
    all_fields = list(dict.fromkeys(k for a in process.ACTIONS for k in process.fields_of_kind(a)))
    st.multiselect(field_label("required_fields"), all_fields, default=current["required_fields"] if current else [],
                   key=f"steps_fields_{picked}", format_func=field_label, help=ctx.t("steps.fields_help"))
    field_error("required_fields")
    st.toggle(field_label("active"), value=bool(current["active"]) if current else True, key=f"steps_active_{picked}")
    field_error("active")
    st.form_submit_button(ctx.t("steps.save"), type="primary", on_click=save, args=(ctx,), icon=":material/save:")

if DONE in S:
    st.success(S.pop(DONE), icon=":material/check_circle:")
