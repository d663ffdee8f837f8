"""Streamlit helpers shared by the pages: login, navigation, cached readers, charts, widgets."""
