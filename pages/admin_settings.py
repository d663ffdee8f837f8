"""Rules & thresholds (规则与阈值): every threshold, window and weight, with its default."""
import streamlit as st

from core.base import rules
from ui import context

ctx = context.require_role("admin")
st.title(ctx.t("settings.title"))
st.caption(ctx.t("settings.caption"))
current = context.settings()

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
    else:
        try:
            with context.write() as session:
                rules.save_settings(session, changes, ctx.account.id, context.now())
        except rules.InvalidSetting as exc:
            st.error(f"{ctx.t('setting.' + exc.key)}: {exc.message(ctx.lang)}")
        else:
            st.success(ctx.t("settings.saved", n=len(changes)))
