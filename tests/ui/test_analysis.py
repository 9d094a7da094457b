"""Planes, frames, ellipses, noise, anomaly scores and ROC figures used by the views."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ui.analysis import (
    above_floor,
    add_noise,
    anomaly_scores,
    auroc,
    ellipse,
    frame_for,
    plane_for,
    roc_curve,
)
from vae_core.config import ModelConfig
from vae_core.losses import reconstruction_loss
from vae_core.models import build_model

SEED = 0


def codes(count: int, latent_dim: int, seed: int = SEED) -> np.ndarray:
    generator = np.random.default_rng(seed)
    scales = np.linspace(3.0, 0.5, latent_dim)
    return (generator.normal(size=(count, latent_dim)) * scales + 1.0).astype(np.float32)


def test_two_dimensional_plane_is_the_models_own() -> None:
    points = codes(50, 2)
    plane = plane_for(points)

    assert not plane.is_pca
    np.testing.assert_allclose(plane.project(points), points)
    np.testing.assert_allclose(plane.lift(points), points)


def test_pca_plane_projects_and_lifts_consistently() -> None:
    points = codes(400, 16)
    plane = plane_for(points)
    plane_points = np.array([[0.5, -1.0], [2.0, 0.25]], dtype=np.float32)

    assert plane.is_pca
    np.testing.assert_allclose(plane.directions @ plane.directions.T, np.eye(2), atol=1e-5)
    np.testing.assert_allclose(plane.project(plane.lift(plane_points)), plane_points, atol=1e-5)
    # the first direction carries the most variance
    spread = plane.project(points).std(axis=0)
    assert spread[0] >= spread[1]


def test_projected_covariance_of_the_prior_is_the_identity() -> None:
    plane = plane_for(codes(400, 16))

    np.testing.assert_allclose(plane.project_covariance(np.ones(16)), np.eye(2), atol=1e-5)


@pytest.mark.parametrize("latent_dim", [2, 16])
def test_vae_frame_is_its_prior(latent_dim: int) -> None:
    points = codes(400, latent_dim)
    plane = plane_for(points)
    frame = frame_for("vae", plane, points)

    origin = plane.project(np.zeros((1, latent_dim), np.float32))[0]
    np.testing.assert_allclose(frame.centre, origin, atol=1e-5)
    np.testing.assert_allclose(frame.scale, [1.0, 1.0])


def test_ae_frame_is_fitted_to_its_codes() -> None:
    points = codes(2000, 2)
    frame = frame_for("ae", plane_for(points), points)

    np.testing.assert_allclose(frame.centre, points.mean(axis=0), rtol=1e-4)
    np.testing.assert_allclose(frame.scale, points.std(axis=0, ddof=1), rtol=1e-3)


@pytest.mark.parametrize("radius", [1.0, 2.0])
def test_ellipse_lies_at_the_mahalanobis_radius(radius: float) -> None:
    centre = np.array([1.0, -2.0])
    covariance = np.array([[2.0, 0.6], [0.6, 0.5]])

    outline = ellipse(centre, covariance, radius)

    offsets = outline - centre
    distances = np.einsum("ni,ij,nj->n", offsets, np.linalg.inv(covariance), offsets)
    np.testing.assert_allclose(np.sqrt(distances), radius, rtol=1e-6)
    np.testing.assert_allclose(outline[0], outline[-1])


def test_noise_is_seeded_zero_mean_and_scaled() -> None:
    images = torch.rand(64, 1, 28, 28, generator=torch.Generator().manual_seed(SEED))

    noisy = add_noise(images, 0.5, seed=3)

    assert torch.equal(noisy, add_noise(images, 0.5, seed=3))
    assert not torch.equal(noisy, add_noise(images, 0.5, seed=4))
    difference = noisy - images
    assert abs(difference.mean().item()) < 0.01
    assert difference.std().item() == pytest.approx(0.5, rel=0.01)
    assert torch.equal(add_noise(images, 0.0, seed=3), images)


@pytest.mark.parametrize("kind", ["ae", "vae"])
def test_anomaly_scores_per_image(kind: str) -> None:
    torch.manual_seed(SEED)
    model = build_model(ModelConfig(kind, 2, (8,))).eval()
    images = torch.rand(5, 1, 28, 28, generator=torch.Generator().manual_seed(SEED))

    scores = anomaly_scores(model, images, seed=SEED)

    expected = {"recon"} if kind == "ae" else {"recon", "neg_elbo"}
    assert set(scores) == expected
    with torch.inference_mode():
        mu, _ = model.encode(images)
        recon = reconstruction_loss(model.decoder(mu), images).numpy()
    np.testing.assert_allclose(scores["recon"], recon, rtol=1e-5)
    if kind == "vae":
        assert scores["neg_elbo"].shape == (5,)
        np.testing.assert_array_equal(
            scores["neg_elbo"], anomaly_scores(model, images, seed=SEED)["neg_elbo"]
        )


def test_auroc_known_answers() -> None:
    low, high = np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0])

    assert auroc(low, high) == 1.0
    assert auroc(high, low) == 0.0
    assert auroc(low, low) == 0.5


def test_roc_curve_matches_the_auroc() -> None:
    generator = np.random.default_rng(SEED)
    inliers = generator.normal(0.0, 1.0, 300)
    outliers = generator.normal(1.0, 1.0, 200)

    fpr, tpr = roc_curve(inliers, outliers)

    assert (fpr[0], tpr[0], fpr[-1], tpr[-1]) == (0.0, 0.0, 1.0, 1.0)
    assert np.all(np.diff(fpr) >= 0) and np.all(np.diff(tpr) >= 0)
    area = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))
    assert area == pytest.approx(auroc(inliers, outliers), abs=1e-9)


def test_above_floor_subtracts_each_images_pixel_entropy() -> None:
    images = torch.tensor([0.0, 0.5, 1.0]).view(3, 1, 1, 1).expand(3, 1, 2, 2).contiguous()
    scores = {"recon": np.array([1.0, 10.0, 1.0], dtype=np.float32)}

    corrected = above_floor(scores, images)

    # only the grey image has entropy: 4 pixels of ln 2 each
    np.testing.assert_allclose(corrected["recon"], [1.0, 10.0 - 4 * np.log(2), 1.0], rtol=1e-6)
