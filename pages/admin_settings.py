"""Rules & thresholds (规则与阈值): every threshold, window and weight, with its default."""
import streamlit as st

from core.base import rules
from ui import context, page
from ui.read import settings as read_settings
from ui.write import flash, form_error, submit

ctx = page.open(__file__)
st.title(ctx.t("settings.title"))
st.caption(ctx.t("settings.caption"))
current = read_settings(ctx.scope)
flash("settings")

with st.form("settings_form"):
    values = {}
    for key, d in rules.DEFINITIONS.items():
        label = f"{ctx.t('setting.' + key)} ({key})"
        help_text = ctx.t("settings.default", value=d.default)
        if d.choices:
            values[key] = st.selectbox(label, d.choices, index=d.choices.index(current[key]), key=f"set_{key}",
                                       help=help_text)
        else:
            values[key] = st.number_input(label, value=current[key], key=f"set_{key}", help=help_text,
                                          step=1 if d.kind is int else 0.5,
                                          format="%d" if d.kind is int else "%.2f")
    submitted = st.form_submit_button(ctx.t("common.save"), type="primary")

if submitted:
    changes = {k: v for k, v in values.items() if v != current[k]}
    if not changes:
        st.info(ctx.t("settings.nothing"))
    elif submit(ctx, "settings", rules.save_settings, changes, context.now(),
                done=lambda _: ctx.t("settings.saved", n=len(changes))):
        st.rerun()
form_error("settings", label=lambda key: ctx.t("setting." + key))
