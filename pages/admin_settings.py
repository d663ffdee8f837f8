"""Rules & thresholds (规则与阈值): every threshold, window, weight and rule in one place, grouped,
each with its default; the checks across fields (each pair of bounds) refuse a save as a whole and
name every value to fix at its field; every change is written to the audit log (before and after)."""
import streamlit as st

from core.base import rules
from ui import context, page
from ui.read import settings as read_settings
from ui.write import error_of, field_error, flash, submit

FORM = "settings"
ctx = page.open(__file__)
st.title(ctx.t("settings.title"))
st.caption(ctx.t("settings.caption"))
current = read_settings(ctx.scope)
flash(FORM)
if error_of(FORM):
    st.error(ctx.t("settings.refused"), icon=":material/error:")

values = {}
with st.form("settings_form"):
    for group, defs in rules.grouped():
        changed = sum(1 for d in defs if current[d.key] != d.default)
        title = ctx.t(f"settings.group.{group}") + (f" · {ctx.t('settings.changed', n=changed)}" if changed else "")
        with st.expander(title, expanded=any(error_of(FORM, d.key) for d in defs)):
            cols = st.columns(2)
            for i, d in enumerate(defs):
                col = cols[i % 2]
                label = ctx.t("setting." + d.key)
                help_text = f"{d.key} · " + ctx.t("settings.default", value=d.default)
                with col:
                    if d.choices:
                        values[d.key] = st.selectbox(label, d.choices, index=d.choices.index(current[d.key]),
                                                     key=f"set_{d.key}", help=help_text)
                    else:
                        values[d.key] = st.number_input(label, value=current[d.key], key=f"set_{d.key}",
                                                        help=help_text, step=1 if d.kind is int else 0.5,
                                                        format="%d" if d.kind is int else "%.2f")
                    field_error(FORM, d.key)
    submitted = st.form_submit_button(ctx.t("common.save"), type="primary")

if submitted:
    changes = {k: v for k, v in values.items() if v != current[k]}
    if not changes:
        st.info(ctx.t("settings.nothing"))
    else:
        submit(ctx, FORM, rules.save_settings, changes, context.now(),
               done=lambda _: ctx.t("settings.saved", n=len(changes)))
        st.rerun()  # the saved values, or each refusal at its field
