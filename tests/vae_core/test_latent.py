"""Operations on the latent space: batched encode/decode, grids, paths, samples and PCA."""

from __future__ import annotations

import math

import pytest
import torch

from tests.vae_core.helpers import make_model, tiny_config
from vae_core.latent import (
    decode_codes,
    encode_images,
    fit_gaussian,
    gaussian_grid_codes,
    grid_codes,
    lerp,
    pca_basis,
    sample_gaussian,
    sample_prior,
    slerp,
)

KINDS = ("ae", "vae")
SAMPLES = 20_000


@pytest.mark.parametrize("kind", KINDS)
def test_batched_encoding_equals_one_pass(kind: str) -> None:
    model = make_model(tiny_config(kind))
    images = torch.rand(10, 1, 28, 28)

    mu, logvar = encode_images(model, images, batch_size=3)
    expected_mu, expected_logvar = model.encode(images)

    assert torch.allclose(mu, expected_mu, atol=1e-6)
    if kind == "ae":
        assert logvar is None
    else:
        assert logvar is not None and torch.allclose(logvar, expected_logvar, atol=1e-6)


@pytest.mark.parametrize("kind", KINDS)
def test_batched_decoding_equals_one_pass(kind: str) -> None:
    model = make_model(tiny_config(kind))
    z = torch.randn(10, 2)
    pixels = decode_codes(model, z, batch_size=4)
    assert pixels.shape == (10, 1, 28, 28)
    assert torch.allclose(pixels, model.decode(z).detach(), atol=1e-6)


def test_grid_runs_row_by_row_from_the_top_left() -> None:
    codes = grid_codes((-1.0, 1.0), (-2.0, 2.0), steps=3)
    assert codes.shape == (9, 2)
    assert codes[0].tolist() == [-1.0, 2.0]
    assert codes[2].tolist() == [1.0, 2.0]
    assert codes[3].tolist() == [-1.0, 0.0]
    assert codes[8].tolist() == [1.0, -2.0]


def test_gaussian_grid_holds_equal_prior_mass_per_cell() -> None:
    steps = 5
    codes = gaussian_grid_codes(steps)
    # each axis value sits at the quantile (i + 0.5) / steps of N(0, 1)
    columns = torch.special.ndtr(codes[:steps, 0])
    expected = (torch.arange(steps) + 0.5) / steps
    assert torch.allclose(columns, expected, atol=1e-5)
    assert torch.allclose(codes[:, 0].unique().sum(), torch.tensor(0.0), atol=1e-5)
    # rows run from the top, as in grid_codes: the first row holds the largest y
    assert torch.equal(codes[:steps, 1], codes[:, 1].max().expand(steps))


def test_lerp_goes_evenly_from_start_to_end() -> None:
    start, end = torch.tensor([0.0, 1.0, -2.0]), torch.tensor([4.0, -1.0, 2.0])
    path = lerp(start, end, steps=5)
    assert path.shape == (5, 3)
    assert torch.equal(path[0], start) and torch.equal(path[-1], end)
    steps = path.diff(dim=0).norm(dim=1)
    assert torch.allclose(steps, steps[0].expand_as(steps))


def test_slerp_keeps_to_the_circle_between_codes_of_equal_norm() -> None:
    start, end = torch.tensor([2.0, 0.0]), torch.tensor([0.0, 2.0])
    path = slerp(start, end, steps=7)
    assert torch.allclose(path[0], start, atol=1e-6) and torch.allclose(path[-1], end, atol=1e-6)
    assert torch.allclose(path.norm(dim=1), torch.full((7,), 2.0), atol=1e-5)
    angles = torch.atan2(path[:, 1], path[:, 0])
    assert torch.allclose(angles.diff(), torch.full((6,), math.pi / 12), atol=1e-5)


def test_slerp_interpolates_the_norm_linearly() -> None:
    path = slerp(torch.tensor([1.0, 0.0, 0.0]), torch.tensor([0.0, 3.0, 0.0]), steps=5)
    assert torch.allclose(path.norm(dim=1), torch.linspace(1, 3, 5), atol=1e-5)


@pytest.mark.parametrize(
    ("start", "end"),
    [([1.0, 1.0], [2.0, 2.0]), ([1.0, 1.0], [-2.0, -2.0]), ([0.0, 0.0], [1.0, 3.0])],
    ids=["parallel", "opposite", "from-origin"],
)
def test_slerp_falls_back_to_lerp_where_the_circle_is_undefined(
    start: list[float], end: list[float]
) -> None:
    start_tensor, end_tensor = torch.tensor(start), torch.tensor(end)
    path = slerp(start_tensor, end_tensor, steps=4)
    assert torch.allclose(path, lerp(start_tensor, end_tensor, steps=4))
    assert torch.isfinite(path).all()


def test_prior_samples_are_seeded_and_scaled_by_temperature() -> None:
    first = sample_prior(SAMPLES, 3, seed=0)
    assert torch.equal(first, sample_prior(SAMPLES, 3, seed=0))
    assert not torch.equal(first, sample_prior(SAMPLES, 3, seed=1))
    assert torch.allclose(first.std(dim=0), torch.ones(3), atol=0.03)
    assert torch.allclose(sample_prior(SAMPLES, 3, seed=0, temperature=0.5), 0.5 * first)


def test_a_fitted_gaussian_reproduces_the_codes_it_was_fitted_to() -> None:
    mean = torch.tensor([3.0, -1.0])
    covariance = torch.tensor([[4.0, 1.5], [1.5, 1.0]])
    codes = sample_gaussian(mean, covariance, SAMPLES, seed=0)

    fitted_mean, fitted_covariance = fit_gaussian(codes)

    assert torch.allclose(fitted_mean, mean, atol=0.05)
    assert torch.allclose(fitted_covariance, covariance, atol=0.1)


def test_pca_finds_the_direction_of_largest_spread_with_a_fixed_sign() -> None:
    generator = torch.Generator().manual_seed(0)
    spread = torch.randn(500, 3, generator=generator) * torch.tensor([5.0, 1.0, 0.1])
    rotation, _ = torch.linalg.qr(torch.randn(3, 3, generator=generator))
    codes = spread @ rotation.T + torch.tensor([1.0, 2.0, 3.0])

    mean, directions = pca_basis(codes)
    _, flipped = pca_basis(2 * codes.mean(dim=0) - codes)

    assert torch.allclose(mean, codes.mean(dim=0), atol=1e-5)
    assert torch.allclose(directions @ directions.T, torch.eye(2), atol=1e-5)
    assert abs(torch.dot(directions[0], rotation[:, 0]).item()) > 0.99
    assert torch.allclose(flipped, directions, atol=1e-5)
