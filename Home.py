"""Sales Cockpit entrypoint: page setup, login, and the navigation this role may use."""
import streamlit as st

st.set_page_config(page_title="Sales Cockpit · 销售驾驶舱", page_icon="🚦", layout="wide")

from core.config import ConfigError  # noqa: E402
from ui import auth, nav  # noqa: E402

try:
    ctx = auth.require_login()
except ConfigError as exc:
    st.error(f"Configuration / 配置错误: {exc}")
    st.stop()

page = nav.navigation(ctx)
nav.sidebar(ctx)
page.run()
