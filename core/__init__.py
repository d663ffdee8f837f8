"""Sales Cockpit core: data model, services and figures. Never imports streamlit."""
