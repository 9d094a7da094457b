"""Make sure every page runs inside app.py's shell: its navigation, sidebar and page style."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_app_shell() -> None:
    """Hand control back to app.py when Streamlit ran a page file on its own.

    Streamlit treats a folder named ``pages/`` next to the main script as a legacy multipage
    app until ``st.navigation`` has been called once in the server process. So when the first
    visitor of a fresh server opens a page's own address, that page runs without app.py: no
    sidebar, untranslated navigation. Leaving the legacy mode and rerunning runs app.py, which
    then shows the same page inside its shell. Call this first in every page file.
    """
    # NOTE: a private flag of Streamlit 1.67; st.navigation itself clears it the same way
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
