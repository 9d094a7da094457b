"""Streamlit-side helpers shared by the pages: state, cached loaders, rendering, translations.

Nothing in ``vae_core`` imports from here; everything here may import Streamlit.
"""
