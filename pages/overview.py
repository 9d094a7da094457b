"""Overview: what an autoencoder is, why it does not generate, and what the VAE changes."""

import streamlit as st

from ui.i18n import t
from ui.models import ModelSlot, model_pair, registry
from ui.render import images_png, model_columns, show_png
from ui.shell import ensure_app_shell
from ui.state import DEFAULT_SEED, Selection, current
from vae_core.checkpoints import LoadedModel
from vae_core.latent import decode_codes, sample_prior

SAMPLE_COLUMNS = 8
SAMPLE_ROWS = 4
SAMPLE_SCALE = 2
FIGURE_FORMAT = "%.1f"
# the same notation in both languages: x in R^m, z in R^n, encoder A, decoder B; each formula
# breaks its lines itself so that it fits half of a 1280-pixel-wide page
AUTOENCODER = r"""\begin{aligned}
A&:\mathbb{R}^m \to \mathbb{R}^n, \qquad B:\mathbb{R}^n \to \mathbb{R}^m \\
\hat{x} &= B(A(x))
\end{aligned}"""
RECONSTRUCTION = r"""\begin{aligned}
\mathcal{L}_{\text{rec}}(x) = -\sum_{i=1}^{m}\Big[&x_i\log\hat{x}_i \\
&+ (1 - x_i)\log(1 - \hat{x}_i)\Big]
\end{aligned}"""
ENCODER_VAE = r"""\begin{aligned}
A(x) &= \big(\mu(x),\ \log\sigma^2(x)\big) \\
z &= \mu + \sigma \odot \varepsilon, \qquad \varepsilon \sim \mathcal{N}(0, I)
\end{aligned}"""
KL_TERM = r"""\begin{aligned}
&D_{\mathrm{KL}}\big(\mathcal{N}(\mu, \sigma^2 I)\,\|\,\mathcal{N}(0, I)\big) \\
&\quad = -\tfrac{1}{2}\sum_{j=1}^{n}\big(1 + \log\sigma_j^2 - \mu_j^2 - \sigma_j^2\big)
\end{aligned}"""
ELBO = r"""\begin{aligned}
-\mathrm{ELBO}(x) &= \mathbb{E}_{q(z \mid x)}\big[-\log p(x \mid z)\big] \\
&\quad + \beta\, D_{\mathrm{KL}}\big(q(z \mid x)\,\|\,p(z)\big)
\end{aligned}"""


def model_row(name: str, loaded: LoadedModel) -> dict[str, object]:
    """The test figures a checkpoint's metadata stores, under translated column names."""
    is_vae = loaded.model.kind == "vae"
    figures = loaded.metadata.get("test", {})
    loss = figures.get("neg_elbo") if is_vae else figures.get("recon_loss")
    floor = figures.get("bce_floor")
    return {
        t("overview.col.file"): name,
        t("overview.col.kind"): t(f"kind.{loaded.model.kind}.short"),
        t("overview.col.latent"): loaded.model.latent_dim,
        t("overview.col.beta"): loaded.metadata.get("beta") if is_vae else None,
        t("overview.col.epochs"): loaded.metadata.get("epochs"),
        t("overview.col.loss"): loss,
        t("overview.col.above_floor"): None if None in (loss, floor) else loss - floor,
        t("overview.col.kl"): figures.get("kl_loss") if is_vae else None,
    }


def show_model_table() -> None:
    """Every checkpoint that loaded, with its figures, and every file that was rejected."""
    rows = [model_row(name, loaded) for name, loaded in sorted(registry().models.items())]
    figure_columns = ("overview.col.loss", "overview.col.above_floor", "overview.col.kl")
    number_format = st.column_config.NumberColumn(format=FIGURE_FORMAT)
    st.dataframe(
        rows, hide_index=True, column_config={t(key): number_format for key in figure_columns}
    )
    for file_name, reason in sorted(registry().rejected.items()):
        st.error(t("overview.rejected", file=file_name, reason=reason))


def draw_samples(slot: ModelSlot) -> None:
    """Decode the page's fixed N(0, I) samples with one model."""
    assert slot.loaded is not None
    model = slot.loaded.model
    z = sample_prior(SAMPLE_COLUMNS * SAMPLE_ROWS, model.latent_dim, DEFAULT_SEED)
    png = images_png(decode_codes(model, z), SAMPLE_COLUMNS, SAMPLE_SCALE)
    show_png(png, None, f"{slot.name}-prior-samples.png", f"overview.download.{slot.kind}")


def main() -> None:
    st.title(t("overview.title"))
    st.markdown(t("overview.lead"))

    # the picture first: the same N(0, I) codes through both decoders
    st.subheader(t("overview.picture_title"))
    st.caption(t("overview.picture_caption", count=SAMPLE_COLUMNS * SAMPLE_ROWS))
    model_columns(model_pair(current(Selection)), draw_samples)

    theory_ae, theory_vae = st.columns(2, gap="large")
    with theory_ae:
        st.subheader(t("overview.ae_title"))
        st.markdown(t("overview.ae_text"))
        st.latex(AUTOENCODER)
        st.latex(RECONSTRUCTION)
        st.markdown(t("overview.gaps_text"))
    with theory_vae:
        st.subheader(t("overview.vae_title"))
        st.markdown(t("overview.vae_text"))
        st.latex(ENCODER_VAE)
        st.latex(KL_TERM)
        st.latex(ELBO)
        st.markdown(t("overview.vae_effect"))

    st.subheader(t("overview.models_title"))
    st.caption(t("overview.models_caption"))
    show_model_table()

    st.subheader(t("overview.references_title"))
    st.markdown(t("overview.references"))


ensure_app_shell()
main()
