"""Custom Streamlit components: the only place with HTML, CSS and JavaScript."""
