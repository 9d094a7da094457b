"""Encoder, decoder and the two models: shapes, shared layers and the stochastic bottleneck."""

from __future__ import annotations

import math

import pytest
import torch

from tests.vae_core.helpers import make_model, tiny_config
from vae_core.config import ModelConfig
from vae_core.models import Autoencoder, VariationalAutoencoder, build_model

KINDS = ("ae", "vae")
LOGVAR_NAMES = {"encoder.to_logvar.weight", "encoder.to_logvar.bias"}
NOISE_SAMPLES = 20_000
# four standard errors of a sample mean or standard deviation of NOISE_SAMPLES draws
NOISE_TOLERANCE = 4 / math.sqrt(NOISE_SAMPLES)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("latent_dim", [1, 2, 5])
@pytest.mark.parametrize("batch", [1, 3])
def test_encode_decode_and_forward_shapes(kind: str, latent_dim: int, batch: int) -> None:
    model = make_model(tiny_config(kind, latent_dim))
    x = torch.rand(batch, 1, 28, 28)

    mu, logvar = model.encode(x)
    recon_logits, forward_mu, forward_logvar, z = model(x)

    assert mu.shape == (batch, latent_dim)
    assert (logvar is None) == (kind == "ae")
    if logvar is not None:
        assert logvar.shape == (batch, latent_dim)
    assert model.decode(mu).shape == x.shape
    assert recon_logits.shape == x.shape
    assert forward_mu.shape == z.shape == (batch, latent_dim)
    assert (forward_logvar is None) == (kind == "ae")


@pytest.mark.parametrize("kind", KINDS)
def test_decode_gives_probabilities(kind: str) -> None:
    model = make_model(tiny_config(kind))
    pixels = model.decode(10 * torch.randn(64, 2))
    assert pixels.min() >= 0 and pixels.max() <= 1


@pytest.mark.parametrize("kind", KINDS)
def test_build_model_makes_the_kind_asked_for(kind: str) -> None:
    model = build_model(tiny_config(kind))
    expected = VariationalAutoencoder if kind == "vae" else Autoencoder
    assert type(model) is expected
    assert model.kind == kind
    assert model.latent_dim == 2


def test_ae_and_vae_share_every_layer_but_the_logvar_head() -> None:
    ae_state = build_model(tiny_config("ae")).state_dict()
    vae_state = build_model(tiny_config("vae")).state_dict()

    assert set(vae_state) - set(ae_state) == LOGVAR_NAMES
    assert set(ae_state) <= set(vae_state)
    for name, tensor in ae_state.items():
        assert vae_state[name].shape == tensor.shape, name


def test_ae_bottleneck_is_the_mean() -> None:
    model = make_model(tiny_config("ae"))
    x = torch.rand(4, 1, 28, 28)
    _, mu, _, z = model(x, generator=torch.Generator().manual_seed(1))
    assert torch.equal(z, mu)


def test_vae_bottleneck_is_seeded_and_noisy() -> None:
    model = make_model(tiny_config("vae"))
    x = torch.rand(4, 1, 28, 28)

    _, mu, _, z_first = model(x, generator=torch.Generator().manual_seed(1))
    _, _, _, z_again = model(x, generator=torch.Generator().manual_seed(1))
    _, _, _, z_other = model(x, generator=torch.Generator().manual_seed(2))

    assert torch.equal(z_first, z_again)
    assert not torch.equal(z_first, z_other)
    assert not torch.equal(z_first, mu)


@pytest.mark.parametrize("std", [0.5, 1.0, 2.0])
def test_vae_reparameterisation_samples_the_posterior(std: float) -> None:
    model = make_model(tiny_config("vae"))
    mu = torch.full((NOISE_SAMPLES, 2), 3.0)
    logvar = torch.full((NOISE_SAMPLES, 2), 2 * math.log(std))

    z = model.bottleneck(mu, logvar, torch.Generator().manual_seed(0))

    assert torch.allclose(z.mean(dim=0), mu[0], atol=std * NOISE_TOLERANCE)
    assert torch.allclose(z.std(dim=0), torch.full((2,), std), atol=std * NOISE_TOLERANCE)


@pytest.mark.parametrize("kind", KINDS)
def test_reconstruct_decodes_the_mean_code(kind: str) -> None:
    model = make_model(tiny_config(kind))
    x = torch.rand(3, 1, 28, 28)
    with torch.no_grad():
        expected = model.decode(model.encode(x)[0])
    assert torch.equal(model.reconstruct(x), expected)


@pytest.mark.parametrize(
    "arguments",
    [
        {"kind": "gan", "latent_dim": 2},
        {"kind": "vae", "latent_dim": 0},
        {"kind": "vae", "latent_dim": 2, "hidden_dims": ()},
        {"kind": "vae", "latent_dim": 2, "hidden_dims": (8, -1)},
        {"kind": "ae", "latent_dim": 2.5},
    ],
)
def test_model_config_rejects_impossible_models(arguments: dict) -> None:
    with pytest.raises(ValueError):
        ModelConfig(**arguments)


@pytest.mark.parametrize("kind", KINDS)
def test_model_config_round_trips_through_a_dict(kind: str) -> None:
    config = ModelConfig(kind, 3, (16, 8), image_size=12, channels=1)
    assert ModelConfig.from_dict(config.to_dict()) == config


@pytest.mark.parametrize(
    "change",
    [
        {"latent_dim": True},
        {"latent_dim": 2.0},
        {"hidden_dims": [8.0]},
        {"hidden_dims": 8},
        {"extra": 1},
    ],
)
def test_model_config_from_dict_rejects_wrong_types(change: dict) -> None:
    values = {**tiny_config("vae").to_dict(), **change}
    with pytest.raises(ValueError):
        ModelConfig.from_dict(values)
