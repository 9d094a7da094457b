"""Cached loaders and view state, on a folder of tiny checkpoints made here."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from streamlit.testing.v1 import AppTest

from ui.models import available_betas, checkpoint_name, model_pair
from ui.state import ManifoldGridState, Selection, widget_key
from vae_core.checkpoints import save_checkpoint
from vae_core.config import ModelConfig
from vae_core.models import build_model


def save_tiny(folder: Path, kind: str, beta: float = 1.0) -> None:
    torch.manual_seed(0)
    model = build_model(ModelConfig(kind, 2, (8,)))
    name = checkpoint_name("fashion-mnist", kind, 2, beta)
    save_checkpoint(
        folder / f"{name}.safetensors", model, {"dataset": "fashion-mnist", "beta": beta}
    )


@pytest.fixture
def tiny_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LSE_CHECKPOINTS", str(tmp_path))
    return tmp_path


def test_checkpoint_names_follow_the_shipped_files() -> None:
    assert checkpoint_name("mnist", "ae", 16) == "mnist-ae-z16"
    assert checkpoint_name("fashion-mnist", "vae", 2, 0.25) == "fashion-mnist-vae-z2-beta0.25"
    assert checkpoint_name("fashion-mnist", "vae", 2, 4.0) == "fashion-mnist-vae-z2-beta4"


def test_pair_reports_missing_and_rejected_sides(tiny_folder: Path) -> None:
    save_tiny(tiny_folder, "ae")
    (tiny_folder / "fashion-mnist-vae-z2.safetensors").write_bytes(b"broken")

    pair = model_pair(Selection())

    assert pair.ae.loaded is not None and pair.ae.problem is None
    assert pair.vae.loaded is None
    assert "not a readable safetensors file" in (pair.vae.problem or "")
    assert model_pair(Selection(latent_dim=16)).ae.problem == "missing"


def test_beta_ladder_lists_the_saved_vaes_and_keeps_the_ae(tiny_folder: Path) -> None:
    for beta in (1.0, 0.5, 4.0):
        save_tiny(tiny_folder, "vae", beta)
    save_tiny(tiny_folder, "ae")

    pair = model_pair(Selection(beta=0.5))

    assert available_betas("fashion-mnist", 2) == [0.5, 1.0, 4.0]
    assert available_betas("mnist", 2) == [1.0]
    assert pair.vae.name == "fashion-mnist-vae-z2-beta0.5"
    assert pair.ae.name == "fashion-mnist-ae-z2"


def test_widget_keys_name_the_view_and_field() -> None:
    assert widget_key(ManifoldGridState, "steps") == "manifold_grid.steps"
    with pytest.raises(KeyError):
        widget_key(ManifoldGridState, "no_such_field")


def view_state_script() -> None:
    import streamlit as st

    from ui.state import ManifoldGridState, current

    state = current(ManifoldGridState)
    st.write(f"{state.steps} {state.extent} {state.gaussian}")


def test_current_fills_defaults_and_reads_what_was_set() -> None:
    fresh = AppTest.from_function(view_state_script).run()
    preset = AppTest.from_function(view_state_script)
    preset.session_state["manifold_grid.steps"] = 7
    preset.run()

    defaults = ManifoldGridState()
    assert fresh.markdown[0].value == f"{defaults.steps} {defaults.extent} {defaults.gaussian}"
    assert preset.markdown[0].value == f"7 {defaults.extent} {defaults.gaussian}"
