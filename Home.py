"""Sales Cockpit entrypoint: page setup, login, and the navigation this role may use."""
import streamlit as st

st.set_page_config(page_title="Sales Cockpit · 销售驾驶舱", page_icon="🚦", layout="wide")

from ui import auth, nav  # noqa: E402
from ui.page import HOME_RAN  # noqa: E402

ctx = auth.require_login()

page = nav.navigation(ctx)
nav.sidebar(ctx)
st.session_state[HOME_RAN] = True
page.run()
