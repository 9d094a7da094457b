"""Reconstruction loss, KL term and ELBO, in nats per image."""

from __future__ import annotations

import math

import hypothesis.strategies as st
import pytest
import torch
from hypothesis import assume, given
from torch.distributions import Normal
from torch.distributions import kl_divergence as reference_kl
from torch.nn import functional as F

from tests.vae_core.helpers import DETERMINISTIC
from vae_core.losses import bce_floor, kl_divergence, loss_terms, reconstruction_loss

LATENT_DIM = 3
# below this, float32 rounding can cancel the KL of a tiny step away from the prior
SMALLEST_STEP = 1e-2
codes = st.lists(
    st.floats(-5, 5, allow_nan=False, width=32), min_size=LATENT_DIM, max_size=LATENT_DIM
)


def test_kl_is_zero_at_the_prior() -> None:
    mu = torch.zeros(4, LATENT_DIM)
    assert torch.equal(kl_divergence(mu, torch.zeros_like(mu)), torch.zeros(4))


@DETERMINISTIC
@given(mu=codes, logvar=codes)
def test_kl_is_positive_away_from_the_prior(mu: list[float], logvar: list[float]) -> None:
    assume(max(abs(value) for value in mu + logvar) >= SMALLEST_STEP)
    kl = kl_divergence(torch.tensor([mu]), torch.tensor([logvar]))
    assert kl.shape == (1,)
    assert kl.item() > 0


@DETERMINISTIC
@given(mu=codes, logvar=codes)
def test_kl_matches_torch_distributions(mu: list[float], logvar: list[float]) -> None:
    mu_tensor, logvar_tensor = torch.tensor([mu]), torch.tensor([logvar])
    posterior = Normal(mu_tensor, torch.exp(0.5 * logvar_tensor))
    prior = Normal(torch.zeros_like(mu_tensor), torch.ones_like(mu_tensor))
    expected = reference_kl(posterior, prior).sum(dim=1)
    got = kl_divergence(mu_tensor, logvar_tensor)
    assert torch.allclose(got, expected, rtol=1e-4, atol=1e-4)


def test_kl_of_a_deterministic_encoder_is_zero() -> None:
    mu = torch.randn(5, LATENT_DIM)
    assert torch.equal(kl_divergence(mu, None), torch.zeros(5))


def test_reconstruction_loss_is_summed_bernoulli_nll_per_image() -> None:
    generator = torch.Generator().manual_seed(0)
    logits = torch.randn(3, 1, 28, 28, generator=generator)
    x = torch.rand(3, 1, 28, 28, generator=generator)

    expected = torch.stack(
        [F.binary_cross_entropy(torch.sigmoid(logits[i]), x[i], reduction="sum") for i in range(3)]
    )
    assert torch.allclose(reconstruction_loss(logits, x), expected, rtol=1e-5)


@DETERMINISTIC
@given(
    logits=st.lists(st.floats(-100, 100, allow_nan=False, width=32), min_size=1, max_size=64),
    seed=st.integers(0, 2**16),
)
def test_reconstruction_loss_matches_torch_on_any_logits(logits: list[float], seed: int) -> None:
    logit_tensor = torch.tensor([logits])
    x = torch.rand(logit_tensor.shape, generator=torch.Generator().manual_seed(seed))

    expected = F.binary_cross_entropy_with_logits(logit_tensor, x, reduction="none").sum(dim=1)
    got = reconstruction_loss(logit_tensor, x)
    assert torch.isfinite(got).all()
    assert torch.allclose(got, expected, rtol=1e-5, atol=1e-5 * len(logits))


def test_reconstruction_loss_gradients_match_torch() -> None:
    generator = torch.Generator().manual_seed(0)
    logits = (torch.randn(4, 1, 28, 28, generator=generator) * 20).requires_grad_()
    x = torch.rand(4, 1, 28, 28, generator=generator).requires_grad_()
    weights = torch.rand(4, generator=generator)

    (reconstruction_loss(logits, x) * weights).sum().backward()
    got = logits.grad, x.grad
    logits.grad = x.grad = None
    expected_loss = F.binary_cross_entropy_with_logits(logits, x, reduction="none")
    (expected_loss.flatten(start_dim=1).sum(dim=1) * weights).sum().backward()

    assert torch.allclose(got[0], logits.grad, atol=1e-6)
    assert torch.allclose(got[1], x.grad, atol=1e-5)


def test_reconstruction_loss_passes_gradcheck_in_double_precision() -> None:
    generator = torch.Generator().manual_seed(0)
    logits = torch.randn(3, 1, 4, 4, generator=generator, dtype=torch.float64) * 5
    x = torch.rand(3, 1, 4, 4, generator=generator, dtype=torch.float64)
    inputs = (logits.requires_grad_(), x.requires_grad_())
    assert torch.autograd.gradcheck(reconstruction_loss, inputs)


def test_reconstruction_loss_refuses_mismatched_shapes() -> None:
    with pytest.raises(ValueError, match="differ"):
        reconstruction_loss(torch.zeros(2, 1, 28, 28), torch.zeros(2, 1, 14, 14))


def test_reconstruction_loss_of_a_uniform_guess_is_log_two_per_pixel() -> None:
    x = torch.randint(0, 2, (2, 1, 28, 28)).float()
    expected = torch.full((2,), 28 * 28 * math.log(2))
    assert torch.allclose(reconstruction_loss(torch.zeros_like(x), x), expected)


def test_bce_floor_is_reached_by_predicting_the_image_itself() -> None:
    generator = torch.Generator().manual_seed(0)
    x = torch.rand(4, 1, 28, 28, generator=generator).clamp(0.01, 0.99)
    perfect = reconstruction_loss(torch.logit(x), x)
    worse = reconstruction_loss(torch.logit(x) + 0.5, x)

    assert torch.allclose(perfect, bce_floor(x), rtol=1e-4)
    assert (worse > bce_floor(x)).all()


def test_bce_floor_of_binary_images_is_zero() -> None:
    x = torch.randint(0, 2, (3, 1, 28, 28)).float()
    assert torch.equal(bce_floor(x), torch.zeros(3))


@pytest.mark.parametrize("beta", [0.0, 0.5, 1.0, 4.0])
def test_loss_terms_weigh_kl_by_beta_and_average_over_the_batch(beta: float) -> None:
    generator = torch.Generator().manual_seed(0)
    logits = torch.randn(6, 1, 28, 28, generator=generator)
    x = torch.rand(6, 1, 28, 28, generator=generator)
    mu, logvar = torch.randn(6, 2, generator=generator), torch.randn(6, 2, generator=generator)

    loss, recon_loss, kl_loss = loss_terms(logits, x, mu, logvar, beta)

    assert torch.allclose(recon_loss, reconstruction_loss(logits, x).mean())
    assert torch.allclose(kl_loss, kl_divergence(mu, logvar).mean())
    assert torch.allclose(loss, recon_loss + beta * kl_loss)


def test_loss_terms_of_an_autoencoder_are_the_reconstruction_alone() -> None:
    x = torch.rand(2, 1, 28, 28)
    logits = torch.randn(2, 1, 28, 28)
    loss, recon_loss, kl_loss = loss_terms(logits, x, torch.randn(2, 2), None, beta=1.0)
    assert kl_loss.item() == 0
    assert torch.equal(loss, recon_loss)
