"""The slider component: the browser's decoder must draw exactly what torch decodes.

The component's own JavaScript file is imported by Node.js and run on fixed vectors; its pixels
must equal ``model.decode`` to 1e-5. The Python helpers that build its payload are tested here
too.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch

from ui.components.latent_sliders import (
    ASSETS,
    PRIOR_RANGE,
    SLIDER_STEP,
    SliderAxis,
    decoder_layers,
    decoder_spec,
    slider_axes,
    valid_vector,
)
from vae_core.config import ModelConfig
from vae_core.models import build_model

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(
    NODE is None, reason="Node.js is not installed; `apt-get install nodejs` makes this run"
)
TOLERANCE = 1e-5
NODE_TIMEOUT_S = 60
RUNNER = """
import { readFileSync } from "node:fs";
import { parseDecoder, decode, seededNormals } from "./latent_sliders.mjs";

const input = JSON.parse(readFileSync(process.argv[2], "utf8"));
const layers = parseDecoder(input.spec);
const pixels = input.vectors.map((z) => Array.from(decode(layers, z)));
const normals = seededNormals(input.seed);
const draws = Array.from({ length: input.draws }, () => normals());
process.stdout.write(JSON.stringify({ pixels, draws }));
"""


def run_component_js(tmp_path: Path, payload: dict) -> dict:
    """Import the component's JavaScript in Node and run the decoder on ``payload``."""
    shutil.copy(ASSETS / "latent_sliders.js", tmp_path / "latent_sliders.mjs")
    (tmp_path / "runner.mjs").write_text(RUNNER, encoding="utf-8")
    (tmp_path / "input.json").write_text(json.dumps(payload), encoding="utf-8")
    completed = subprocess.run(
        [NODE, "runner.mjs", "input.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT_S,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def fixed_vectors(latent_dim: int) -> list[list[float]]:
    """The origin, seeded Gaussian draws, and points far outside the prior."""
    generator = torch.Generator().manual_seed(7)
    draws = torch.randn(4, latent_dim, generator=generator)
    far = torch.full((1, latent_dim), 25.0) * torch.tensor([(-1.0) ** i for i in range(latent_dim)])
    return torch.cat([torch.zeros(1, latent_dim), draws, 3 * draws[:1], far]).tolist()


@needs_node
@pytest.mark.parametrize("kind", ["ae", "vae"])
@pytest.mark.parametrize("latent_dim", [2, 16])
@pytest.mark.parametrize("hidden_dims", [(8,), (256, 128)], ids=["tiny", "shipped"])
def test_the_browser_decoder_equals_torch(
    tmp_path: Path, kind: str, latent_dim: int, hidden_dims: tuple[int, ...]
) -> None:
    torch.manual_seed(0)
    model = build_model(ModelConfig(kind, latent_dim, hidden_dims)).eval()
    vectors = fixed_vectors(latent_dim)

    result = run_component_js(
        tmp_path, {"spec": decoder_spec(model), "vectors": vectors, "seed": 0, "draws": 0}
    )

    with torch.inference_mode():
        expected = model.decode(torch.tensor(vectors)).flatten(start_dim=1)
    browser = torch.tensor(result["pixels"], dtype=torch.float64)
    assert browser.shape == expected.shape
    assert torch.allclose(browser, expected.double(), atol=TOLERANCE, rtol=0)


@needs_node
def test_the_random_button_draws_repeatable_standard_normals(tmp_path: Path) -> None:
    spec = decoder_spec(build_model(ModelConfig("vae", 2, (8,))))
    draws = 20_000

    first = run_component_js(tmp_path, {"spec": spec, "vectors": [], "seed": 3, "draws": draws})
    again = run_component_js(tmp_path, {"spec": spec, "vectors": [], "seed": 3, "draws": draws})
    other = run_component_js(tmp_path, {"spec": spec, "vectors": [], "seed": 4, "draws": draws})

    values = np.array(first["draws"])
    assert first["draws"] == again["draws"]
    assert first["draws"] != other["draws"]
    # a standard normal: mean 0 and standard deviation 1, within a few standard errors
    assert abs(values.mean()) < 4 / np.sqrt(draws)
    assert abs(values.std() - 1) < 0.03


def test_the_payload_lists_every_layer_with_its_shape() -> None:
    model = build_model(ModelConfig("ae", 16, (256, 128)))

    spec = decoder_spec(model)

    shapes = [(layer["inputs"], layer["outputs"]) for layer in spec["layers"]]
    assert shapes == [(16, 128), (128, 256), (256, 784)]
    assert spec["image_size"] == 28


def test_a_decoder_that_is_not_linear_relu_is_refused() -> None:
    model = build_model(ModelConfig("ae", 2, (8,)))
    model.decoder.trunk[1] = torch.nn.Tanh()

    with pytest.raises(ValueError, match="alternate Linear and ReLU"):
        decoder_layers(model)


def test_slider_axes_cover_the_prior_when_the_codes_are_small() -> None:
    codes = np.random.default_rng(0).normal(0, 0.5, size=(1000, 2))

    axes = slider_axes(2, [codes, None])

    assert all(axis.low == -PRIOR_RANGE and axis.high == PRIOR_RANGE for axis in axes)
    assert all(axis.bands[1] is None for axis in axes)
    low, high = axes[0].bands[0]
    assert -1.5 < low < -0.9 and 0.9 < high < 1.5


def test_slider_axes_widen_to_an_autoencoders_codes() -> None:
    rng = np.random.default_rng(0)
    ae_codes = np.stack([rng.normal(10, 4, 2000), rng.normal(0, 1, 2000)], axis=1)
    vae_codes = rng.normal(0, 1, size=(2000, 2))

    axes = slider_axes(2, [ae_codes, vae_codes])

    first_band = axes[0].bands[0]
    assert first_band is not None
    assert axes[0].low == -PRIOR_RANGE
    assert axes[0].high >= first_band[1] and axes[0].high % 0.5 == 0
    assert axes[1] == SliderAxis(-3.0, 3.0, SLIDER_STEP, axes[1].bands)


def test_zero_is_on_every_sliders_grid() -> None:
    rng = np.random.default_rng(1)
    codes = rng.normal(3, 7, size=(500, 16))

    for axis in slider_axes(16, [codes, None]):
        positions = (0 - axis.low) / axis.step
        assert positions == pytest.approx(round(positions), abs=1e-6)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([0.5, -1], [0.5, -1.0]),
        ([0.5], None),
        (None, None),
        ("0.5,1", None),
        ([0.5, float("nan")], None),
        ([0.5, "1"], None),
    ],
)
def test_only_a_finite_vector_of_the_right_length_is_accepted(value, expected) -> None:
    assert valid_vector(value, 2) == expected
