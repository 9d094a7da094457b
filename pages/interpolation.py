"""Interpolation: walk between two test images in latent space, and in pixel space for contrast."""

import numpy as np
import streamlit as st
import torch

from ui.i18n import class_names, t
from ui.models import ModelPair, model_pair
from ui.render import (
    download_gif,
    gif_bytes,
    grid_array,
    images_png,
    show_image,
    show_model_problem,
    show_png,
    test_split_or_explain,
)
from ui.shell import ensure_app_shell
from ui.state import InterpolationState, Selection, current, widget_key
from vae_core.data import DatasetSplit
from vae_core.latent import decode_codes, encode_images, lerp, slerp

STEPS_RANGE = (3, 16)
STRIP_SCALE = 3
ENDPOINT_SCALE = 4
PATHS = {"linear": lerp, "spherical": slerp}


def pick_random_pair(count: int) -> None:
    """Button callback: the next seed picks two different test images out of ``count``."""
    seed_key = widget_key(InterpolationState, "seed")
    st.session_state[seed_key] += 1
    start, end = np.random.default_rng(st.session_state[seed_key]).choice(count, 2, replace=False)
    st.session_state[widget_key(InterpolationState, "start_index")] = int(start)
    st.session_state[widget_key(InterpolationState, "end_index")] = int(end)


def controls(split: DatasetSplit, dataset: str) -> InterpolationState:
    """Choose the two images (by index or at random) and the number of steps."""
    names = class_names(dataset)
    start_column, end_column, steps_column, button_column = st.columns([2, 2, 3, 2])
    for column, field in ((start_column, "start_index"), (end_column, "end_index")):
        with column:
            key = widget_key(InterpolationState, field)
            st.session_state[key] = int(np.clip(st.session_state[key], 0, len(split) - 1))
            index = st.number_input(t(f"interp.{field}"), 0, len(split) - 1, key=key, step=1)
            show_image(
                images_png(split.images[index : index + 1], 1, ENDPOINT_SCALE, padding=0),
                caption=names[int(split.labels[index])],
            )
    with steps_column:
        st.slider(t("interp.steps"), *STEPS_RANGE, key=widget_key(InterpolationState, "steps"))
    with button_column:
        st.button(
            t("interp.random"),
            key="interpolation.random",
            on_click=pick_random_pair,
            args=(len(split),),
        )
        st.caption(t("interp.seed", seed=st.session_state[widget_key(InterpolationState, "seed")]))
    return current(InterpolationState)


def latent_paths(pair: ModelPair, x: torch.Tensor, steps: int) -> dict[str, torch.Tensor]:
    """Decoded paths ``(steps, 1, H, W)`` per ``"<kind>.<path>"`` for every loaded model."""
    strips = {}
    for slot in pair.slots:
        if slot.loaded is None:
            continue
        mu, _ = encode_images(slot.loaded.model, x)
        for path_name, path in PATHS.items():
            strips[f"{slot.kind}.{path_name}"] = decode_codes(
                slot.loaded.model, path(mu[0], mu[1], steps)
            )
    return strips


def show_strips(pair: ModelPair, strips: dict[str, torch.Tensor], steps: int) -> None:
    """One labelled row per model and path, then the pixel blend."""
    for slot in pair.slots:
        st.markdown(f"**{t(f'kind.{slot.kind}')}** · `{slot.name}`")
        if slot.loaded is None:
            show_model_problem(slot)
            continue
        for path_name in PATHS:
            strip = strips[f"{slot.kind}.{path_name}"]
            show_image(images_png(strip, steps, STRIP_SCALE), caption=t(f"interp.{path_name}"))
    st.markdown(f"**{t('interp.pixels_title')}**")
    show_image(images_png(strips["pixels"], steps, STRIP_SCALE), caption=t("interp.pixels"))


def downloads(
    strips: dict[str, torch.Tensor], steps: int, dataset: str, state: InterpolationState
) -> None:
    """The whole panel as PNG, and as a GIF whose frame k shows step k of every row."""
    rows = torch.cat(list(strips.values()))
    stem = f"{dataset}-interpolation-{state.start_index}-{state.end_index}"
    show_png(images_png(rows, steps, 2), None, f"{stem}.png", "interpolation.download_png")
    frames = [
        grid_array(torch.stack([strip[k] for strip in strips.values()]), len(strips))
        for k in range(steps)
    ]
    # forward then back, so the loop has no jump
    gif = gif_bytes(frames + frames[-2:0:-1])
    download_gif(gif, f"{stem}.gif", "interpolation.download_gif")
    st.caption(t("interp.gif_caption", rows=", ".join(t(f"interp.row.{name}") for name in strips)))


def main() -> None:
    selection = current(Selection)
    current(InterpolationState)
    st.title(t("interp.title"))
    st.caption(t("interp.intro"))
    split = test_split_or_explain(selection.dataset)
    if split is None:
        return
    state = controls(split, selection.dataset)
    x = split.images[[state.start_index, state.end_index]]
    pair = model_pair(selection)
    strips = latent_paths(pair, x, state.steps)
    strips["pixels"] = lerp(x[0].flatten(), x[1].flatten(), state.steps).view(-1, *x.shape[1:])
    show_strips(pair, strips, state.steps)
    downloads(strips, state.steps, selection.dataset, state)


ensure_app_shell()
main()
