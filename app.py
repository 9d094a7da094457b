"""Latent Space Explorer: see why a VAE's latent space is continuous and complete.

Streamlit reruns this file on every interaction: it sets up the page, draws the sidebar (whose
choices every page reads from session state) and hands over to the page the user is on.
"""

import streamlit as st

from ui.i18n import t
from ui.render import apply_style
from ui.shell import ensure_app_shell
from ui.sidebar import render_sidebar

# Material icons ship with Streamlit; emoji would need a font the machine may lack
PAGES = (
    ("overview", ":material/menu_book:"),
    ("latent_map", ":material/scatter_plot:"),
    ("sliders", ":material/tune:"),
    ("manifold_grid", ":material/grid_on:"),
    ("interpolation", ":material/linear_scale:"),
    ("sampling", ":material/casino:"),
    ("draw", ":material/draw:"),
    ("applications", ":material/build:"),
    ("metrics", ":material/straighten:"),
)

# before any widget: their identities must not change between the first run and the next
ensure_app_shell()
st.set_page_config(
    page_title="Latent Space Explorer", page_icon=":material/blur_on:", layout="wide"
)
apply_style()
render_sidebar()
navigation = st.navigation(
    [
        st.Page(
            f"pages/{name}.py",
            title=t(f"nav.{name}"),
            icon=icon,
            url_path=name,
            default=name == "overview",
        )
        for name, icon in PAGES
    ]
)
navigation.run()
