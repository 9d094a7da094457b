"""Make sure every page runs inside app.py's shell: its navigation, sidebar and page style."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_app_shell() -> None:
    """Leave Streamlit's legacy multipage mode before anything is drawn, by rerunning.

    Streamlit treats a folder named ``pages/`` next to the main script as a legacy multipage
    app until ``st.navigation`` has been called once in the server process. So on a fresh
    server the first run is a legacy one:

    - a visitor who opens a page's own address gets that page without app.py: no sidebar,
      untranslated navigation;
    - a visitor who opens the app's root runs app.py, but every widget drawn before
      ``st.navigation`` gets an identity of the legacy mode, and on the next run (the first
      click) those widgets are new ones, back at their defaults: the language switch, say,
      would undo itself.

    Leaving the legacy mode and rerunning at once runs app.py in navigation mode from its
    first line. Call this first in app.py and in every page file.
    """
    # NOTE: a private flag of Streamlit 1.67; st.navigation itself clears it the same way
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
