"""What autoencoders are for: denoising, and anomaly scores for images of another data set."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st
import torch

from ui.analysis import above_floor, add_noise, anomaly_scores, auroc, roc_curve
from ui.i18n import t
from ui.models import ModelPair, ModelSlot, model_pair
from ui.numbers import number
from ui.render import (
    images_png,
    model_columns,
    show_chart,
    show_image,
    show_png,
    test_split_or_explain,
)
from ui.shell import ensure_app_shell
from ui.state import DATASETS, ApplicationsState, Selection, current, widget_key
from vae_core.data import DatasetSplit

NOISE_RANGE = (0.0, 1.0)
NOISE_STEP = 0.05
DENOISE_SCALE = 3
# images per data set in the anomaly comparison (the bundled MNIST test split has 1,000)
ANOMALY_IMAGES = 1000
ANOMALY_SEED = 0
HISTOGRAM_BINS = 60
SCORE_COLOURS = {"inliers": "#4C78A8", "outliers": "#F58518"}


def subset(split: DatasetSplit, count: int, seed: int) -> torch.Tensor:
    """``count`` test images in an order fixed by ``seed``."""
    order = np.random.default_rng(seed).permutation(len(split))[:count]
    return split.images[torch.from_numpy(order)]


def denoise_controls() -> ApplicationsState:
    noise_column, seed_column = st.columns([3, 1])
    with noise_column:
        st.slider(
            t("apps.noise"),
            *NOISE_RANGE,
            step=NOISE_STEP,
            key=widget_key(ApplicationsState, "noise"),
            help=t("apps.noise_help"),
        )
    with seed_column:
        st.number_input(t("common.seed"), 0, None, key=widget_key(ApplicationsState, "seed"))
    return current(ApplicationsState)


def denoising(pair: ModelPair, split: DatasetSplit, dataset: str) -> None:
    """Clean images, the same images with noise, and what each model makes of the noisy ones."""
    state = denoise_controls()
    clean = subset(split, state.count, state.seed)
    noisy = add_noise(clean, state.noise, state.seed)
    show_image(
        images_png(torch.cat([clean, noisy]), state.count, DENOISE_SCALE),
        caption=t("apps.clean_noisy"),
    )

    noisy_error = mean_squared_error(noisy, clean)

    def draw(slot: ModelSlot) -> None:
        assert slot.loaded is not None
        model = slot.loaded.model
        recon = model.reconstruct(noisy)
        show_png(
            images_png(recon, state.count // 2, DENOISE_SCALE),
            None,
            f"{slot.name}-denoised-{state.noise:g}.png",
            f"applications.download.{slot.kind}",
        )
        error = mean_squared_error(recon, clean)
        # the delta compares with the noisy input: lower is better
        delta = number(error - noisy_error, "+.4f")
        st.metric(t("apps.mse"), number(error, ".4f"), delta=delta, delta_color="inverse")
        clean_error = mean_squared_error(model.reconstruct(clean), clean)
        st.caption(t("apps.clean_recon_mse", mse=clean_error))

    model_columns(pair, draw)
    st.caption(t("apps.noisy_mse", mse=noisy_error))


def mean_squared_error(images: torch.Tensor, targets: torch.Tensor) -> float:
    """Mean squared pixel difference over a batch."""
    return (images - targets).pow(2).mean().item()


@st.cache_data(show_spinner=False, max_entries=32)
def scores_for(
    sha256: str, dataset: str, _slot: ModelSlot, _inliers: torch.Tensor, _outliers: torch.Tensor
) -> dict[tuple[str, bool], tuple[np.ndarray, np.ndarray]]:
    """Every score of one model, raw and above each image's floor, for inliers and outliers.

    Returns:
        ``(score name, above floor)`` -> ``(inlier scores, outlier scores)``; cached per
        checkpoint hash.
    """
    assert _slot.loaded is not None
    results = {}
    raw = [anomaly_scores(_slot.loaded.model, x, ANOMALY_SEED) for x in (_inliers, _outliers)]
    corrected = [
        above_floor(scores, x) for scores, x in zip(raw, (_inliers, _outliers), strict=True)
    ]
    for name in raw[0]:
        results[(name, False)] = (raw[0][name], raw[1][name])
        results[(name, True)] = (corrected[0][name], corrected[1][name])
    return results


def score_title(name: str, floor: bool) -> str:
    score = t(f"apps.score.{name}")
    return t("apps.score_above_floor", score=score) if floor else score


def score_histogram(title: str, inliers: np.ndarray, outliers: np.ndarray, file: str) -> None:
    """Overlaid histograms of one score for both data sets."""
    figure = go.Figure()
    for group, values in (("inliers", inliers), ("outliers", outliers)):
        figure.add_trace(
            go.Histogram(
                x=values,
                name=t(f"apps.{group}"),
                nbinsx=HISTOGRAM_BINS,
                opacity=0.6,
                marker_color=SCORE_COLOURS[group],
            )
        )
    figure.update_layout(
        barmode="overlay",
        height=260,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        title=title,
        xaxis_title=t("apps.nats"),
    )
    show_chart(figure, file, key=f"applications.hist.{file}")


def anomaly(pair: ModelPair, split: DatasetSplit, dataset: str) -> None:
    """Score this data set's test images and the other data set's, and compare them."""
    other = next(name for name in DATASETS if name != dataset)
    other_split = test_split_or_explain(other)
    if other_split is None:
        return
    inliers = subset(split, ANOMALY_IMAGES, ANOMALY_SEED)
    outliers = subset(other_split, ANOMALY_IMAGES, ANOMALY_SEED)
    names = {"inliers": t(f"dataset.{dataset}"), "outliers": t(f"dataset.{other}")}
    st.caption(t("apps.anomaly_intro", count=ANOMALY_IMAGES, **names))
    floor = st.toggle(
        t("apps.above_floor"),
        key=widget_key(ApplicationsState, "above_floor"),
        help=t("apps.above_floor_help"),
    )
    curves = {}

    def draw(slot: ModelSlot) -> None:
        assert slot.loaded is not None
        scores = scores_for(slot.loaded.sha256, dataset, slot, inliers, outliers)
        for (name, corrected), (inlier_scores, outlier_scores) in scores.items():
            if corrected == floor:
                file = f"{slot.name}-{name}{'-above-floor' if floor else ''}"
                score_histogram(score_title(name, floor), inlier_scores, outlier_scores, file)
            label = f"{t(f'kind.{slot.kind}.short')} · {score_title(name, corrected)}"
            curves[label] = (roc_curve(inlier_scores, outlier_scores), corrected)
            curves[label] += (auroc(inlier_scores, outlier_scores),)

    model_columns(pair, draw)
    if curves:
        roc_figure(curves, dataset)


def roc_figure(curves: dict, dataset: str) -> None:
    """ROC curves of every score, raw (dashed) and above the floor (solid), with their AUROC."""
    figure = go.Figure()
    for label, ((fpr, tpr), corrected, area) in curves.items():
        figure.add_trace(
            go.Scatter(
                x=fpr,
                y=tpr,
                mode="lines",
                name=f"{label}: AUROC {number(area, '.3f')}",
                line={"dash": "solid" if corrected else "dash"},
            )
        )
    figure.add_trace(
        go.Scatter(
            x=[0, 1],
            y=[0, 1],
            mode="lines",
            showlegend=False,
            line={"dash": "dot", "color": "#888888"},
            hoverinfo="skip",
        )
    )
    figure.update_layout(
        height=480,
        # room below the axis for three rows of legend
        margin={"l": 10, "r": 10, "t": 10, "b": 110},
        xaxis_title=t("apps.fpr"),
        yaxis_title=t("apps.tpr"),
        legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0},
    )
    st.markdown(f"**{t('apps.roc_title')}**")
    show_chart(figure, f"{dataset}-roc", key="applications.roc")
    st.caption(t("apps.roc_caption"))


def main() -> None:
    selection = current(Selection)
    current(ApplicationsState)
    st.title(t("apps.title"))
    split = test_split_or_explain(selection.dataset)
    if split is None:
        return
    pair = model_pair(selection)
    denoise_tab, anomaly_tab = st.tabs([t("apps.denoise_tab"), t("apps.anomaly_tab")])
    with denoise_tab:
        st.caption(t("apps.denoise_intro"))
        denoising(pair, split, selection.dataset)
    with anomaly_tab:
        anomaly(pair, split, selection.dataset)


ensure_app_shell()
main()
