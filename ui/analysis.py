"""Small computations the views need on top of ``vae_core``: planes, ellipses, scores, ROC.

Pure numpy/torch with no Streamlit, so the unit tests in ``tests/ui`` exercise them directly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from vae_core.latent import fit_gaussian, pca_basis
from vae_core.losses import bce_floor, kl_divergence, reconstruction_loss
from vae_core.models import Autoencoder

PLANE_DIMS = 2
ELLIPSE_POINTS = 90


@dataclass(frozen=True)
class Plane:
    """A 2-D view of a latent space: its own axes (2-D models) or its top two PCA directions.

    A point ``p`` of the plane is the code ``origin + p @ directions``; a code ``z`` is shown at
    ``(z - origin) @ directions.T``.
    """

    origin: np.ndarray
    directions: np.ndarray
    is_pca: bool

    def project(self, codes: np.ndarray) -> np.ndarray:
        """Codes ``(N, latent_dim)`` to plane points ``(N, 2)``."""
        return (codes - self.origin) @ self.directions.T

    def lift(self, points: np.ndarray) -> np.ndarray:
        """Plane points ``(N, 2)`` to codes ``(N, latent_dim)``."""
        return self.origin + points @ self.directions

    def project_covariance(self, variance: np.ndarray) -> np.ndarray:
        """A diagonal covariance given by ``variance`` ``(latent_dim,)`` seen in the plane."""
        return (self.directions * variance) @ self.directions.T


def plane_for(codes: np.ndarray) -> Plane:
    """The model's own axes for 2-D codes, else the PCA plane through the codes' mean."""
    latent_dim = codes.shape[1]
    if latent_dim == PLANE_DIMS:
        return Plane(np.zeros(PLANE_DIMS, np.float32), np.eye(PLANE_DIMS, dtype=np.float32), False)
    mean, directions = pca_basis(torch.from_numpy(codes), PLANE_DIMS)
    return Plane(mean.numpy(), directions.numpy(), True)


@dataclass(frozen=True)
class Frame:
    """Where a model's codes live in its plane: a centre and a scale per axis.

    For a VAE this is its prior ``N(0, I)`` (seen in the plane); a plain AE has no prior, so
    its frame is a Gaussian fitted to its codes. Windows and quantile grids are laid out in
    this frame, so "3 standard deviations" means the same thing for both models.
    """

    centre: np.ndarray
    scale: np.ndarray


def frame_for(kind: str, plane: Plane, codes: np.ndarray) -> Frame:
    """The reference frame of a model: its prior (VAE) or a Gaussian fitted to its codes (AE)."""
    if kind == "vae":
        origin = plane.project(np.zeros((1, plane.origin.shape[0]), np.float32))[0]
        return Frame(origin, np.ones(PLANE_DIMS, np.float32))
    points = torch.from_numpy(plane.project(codes))
    mean, covariance = fit_gaussian(points)
    return Frame(mean.numpy(), covariance.diagonal().sqrt().numpy())


def ellipse(
    centre: np.ndarray, covariance: np.ndarray, radius: float, points: int = ELLIPSE_POINTS
) -> np.ndarray:
    """The outline ``(points, 2)`` where the Mahalanobis distance from ``centre`` is ``radius``."""
    angles = np.linspace(0, 2 * np.pi, points)
    circle = np.stack([np.cos(angles), np.sin(angles)], axis=1) * radius
    values, vectors = np.linalg.eigh(covariance)
    return centre + (circle * np.sqrt(np.clip(values, 0, None))) @ vectors.T


def add_noise(images: torch.Tensor, strength: float, seed: int) -> torch.Tensor:
    """Images plus zero-mean Gaussian noise of standard deviation ``strength``.

    The result is not clipped to [0, 1]: clipping would brighten every black background
    on average, a shift the models were never shown, and the comparison would then measure
    that shift rather than noise. Pictures clip the values only for display.
    """
    generator = torch.Generator().manual_seed(seed)
    return images + strength * torch.randn(images.shape, generator=generator)


@torch.inference_mode()
def anomaly_scores(model: Autoencoder, images: torch.Tensor, seed: int) -> dict[str, np.ndarray]:
    """Per-image scores, in nats: higher means "less like the training data".

    Returns:
        ``"recon"``: reconstruction loss of the decoded mean code ``(N,)``; for a VAE also
        ``"neg_elbo"``: one-sample negative ELBO (reconstruction of a sampled ``z`` plus KL).
    """
    mu, logvar = model.encode(images)
    scores = {"recon": reconstruction_loss(model.decoder(mu), images).numpy()}
    if logvar is not None:
        generator = torch.Generator().manual_seed(seed)
        z = model.bottleneck(mu, logvar, generator)
        neg_elbo = reconstruction_loss(model.decoder(z), images) + kl_divergence(mu, logvar)
        scores["neg_elbo"] = neg_elbo.numpy()
    return scores


def above_floor(scores: dict[str, np.ndarray], images: torch.Tensor) -> dict[str, np.ndarray]:
    """Each score minus the image's own floor: the entropy of its pixels (``bce_floor``).

    Raw likelihood scores favour simple images: an MNIST digit, mostly black, costs fewer
    nats than any garment, so a Fashion-MNIST model can score MNIST as *more* familiar
    (Nalisnick et al. 2019; Serra et al. 2020 correct for input complexity). Subtracting what
    a perfect reconstruction of that very image would cost leaves the model's own excess.

    Returns:
        The same keys, each ``(N,)``.
    """
    floor = bce_floor(images).numpy()
    return {name: values - floor for name, values in scores.items()}


def auroc(inlier_scores: np.ndarray, outlier_scores: np.ndarray) -> float:
    """Probability that a random outlier scores higher than a random inlier (ties count half)."""
    higher = (outlier_scores[:, None] > inlier_scores[None, :]).mean()
    ties = (outlier_scores[:, None] == inlier_scores[None, :]).mean()
    return float(higher + 0.5 * ties)


def roc_curve(
    inlier_scores: np.ndarray, outlier_scores: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """False- and true-positive rates when every score at or above a threshold is flagged.

    Returns:
        ``(fpr, tpr)``, both ``(T + 2,)`` from ``(0, 0)`` to ``(1, 1)``.
    """
    thresholds = np.unique(np.concatenate([inlier_scores, outlier_scores]))[::-1]
    inliers, outliers = np.sort(inlier_scores), np.sort(outlier_scores)
    fpr = 1 - np.searchsorted(inliers, thresholds, side="left") / inliers.size
    tpr = 1 - np.searchsorted(outliers, thresholds, side="left") / outliers.size
    return np.concatenate([[0.0], fpr, [1.0]]), np.concatenate([[0.0], tpr, [1.0]])
