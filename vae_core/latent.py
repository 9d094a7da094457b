"""Operations on the latent space shared by every view: encode, decode, grids, paths, samples."""

from __future__ import annotations

import torch

from vae_core.models import Autoencoder

DEFAULT_BATCH_SIZE = 2000
# directions whose cosine is this close to +-1 count as (anti)parallel in slerp
PARALLEL_TOLERANCE = 1e-6


@torch.inference_mode()
def encode_images(
    model: Autoencoder, images: torch.Tensor, batch_size: int = DEFAULT_BATCH_SIZE
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """Encode many images in batches.

    Args:
        model: An AE or a VAE.
        images: ``(N, C, H, W)`` in [0, 1].

    Returns:
        ``mu`` ``(N, latent_dim)`` and ``logvar`` of the same shape, or ``None`` for an AE.
    """
    mus, logvars = [], []
    for start in range(0, images.shape[0], batch_size):
        mu, logvar = model.encode(images[start : start + batch_size])
        mus.append(mu)
        if logvar is not None:
            logvars.append(logvar)
    return torch.cat(mus), (torch.cat(logvars) if logvars else None)


@torch.inference_mode()
def decode_codes(
    model: Autoencoder, z: torch.Tensor, batch_size: int = DEFAULT_BATCH_SIZE
) -> torch.Tensor:
    """Decode codes ``(N, latent_dim)`` to pixel probabilities ``(N, C, H, W)`` in batches."""
    return torch.cat([model.decode(chunk) for chunk in z.split(batch_size)])


def _codes_from_axes(xs: torch.Tensor, ys: torch.Tensor) -> torch.Tensor:
    """Every ``(x, y)`` pair, row by row in the order of ``ys``: ``(len(ys) * len(xs), 2)``."""
    grid_y, grid_x = torch.meshgrid(ys, xs, indexing="ij")
    return torch.stack([grid_x.flatten(), grid_y.flatten()], dim=1)


def grid_codes(
    x_range: tuple[float, float], y_range: tuple[float, float], steps: int
) -> torch.Tensor:
    """A ``steps x steps`` grid over a 2-D window, row by row from the top (largest y).

    Returns:
        Codes ``(steps * steps, 2)``; row ``r``, column ``c`` is entry ``r * steps + c``.
    """
    xs = torch.linspace(x_range[0], x_range[1], steps)
    ys = torch.linspace(y_range[1], y_range[0], steps)
    return _codes_from_axes(xs, ys)


def gaussian_grid_codes(steps: int, margin: float = 0.5) -> torch.Tensor:
    """Codes at evenly spaced quantiles of N(0, I): Kingma & Welling 2013, Figure 4.

    The quantiles ``(i + margin) / steps`` go through the inverse normal CDF, so each cell
    of the grid holds the same prior probability mass.

    Returns:
        Codes ``(steps * steps, 2)`` ordered like :func:`grid_codes`.
    """
    quantiles = (torch.arange(steps, dtype=torch.float32) + margin) / steps
    values = torch.special.ndtri(quantiles)
    # the axis values themselves, not a linear ramp between the outermost two
    return _codes_from_axes(values, values.flip(0))


def lerp(z_start: torch.Tensor, z_end: torch.Tensor, steps: int) -> torch.Tensor:
    """Linear path of ``steps`` codes from ``z_start`` to ``z_end`` (both ``(latent_dim,)``)."""
    weights = torch.linspace(0, 1, steps).unsqueeze(1)
    return (1 - weights) * z_start + weights * z_end


def slerp(z_start: torch.Tensor, z_end: torch.Tensor, steps: int) -> torch.Tensor:
    """Spherical path: follows the great circle between the directions while the norm is lerped.

    Under a Gaussian prior most mass lies near a shell, and this path stays near it where a
    straight line would cut through the low-norm middle (White 2016, "Sampling generative
    networks"). Falls back to :func:`lerp` when the directions are (anti)parallel.

    Returns:
        Codes ``(steps, latent_dim)``.
    """
    norm_start, norm_end = z_start.norm(), z_end.norm()
    if norm_start < 1e-8 or norm_end < 1e-8:
        return lerp(z_start, z_end, steps)
    unit_start, unit_end = z_start / norm_start, z_end / norm_end
    cosine = torch.clamp(torch.dot(unit_start, unit_end), -1.0, 1.0)
    # test the cosine, not the angle: in float32, arccos near -1 is off by about 1e-4
    if abs(cosine.item()) > 1 - PARALLEL_TOLERANCE:
        return lerp(z_start, z_end, steps)
    omega = torch.arccos(cosine)
    weights = torch.linspace(0, 1, steps).unsqueeze(1)
    directions = (
        torch.sin((1 - weights) * omega) * unit_start + torch.sin(weights * omega) * unit_end
    ) / torch.sin(omega)
    norms = (1 - weights) * norm_start + weights * norm_end
    return directions * norms


def sample_prior(count: int, latent_dim: int, seed: int, temperature: float = 1.0) -> torch.Tensor:
    """``count`` codes from ``N(0, temperature^2 I)`` with a fixed seed: ``(count, latent_dim)``."""
    generator = torch.Generator().manual_seed(seed)
    return temperature * torch.randn(count, latent_dim, generator=generator)


def fit_gaussian(codes: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean ``(latent_dim,)`` and covariance ``(latent_dim, latent_dim)`` of a set of codes."""
    mean = codes.mean(dim=0)
    centred = codes - mean
    covariance = centred.T @ centred / max(codes.shape[0] - 1, 1)
    return mean, covariance


def sample_gaussian(
    mean: torch.Tensor,
    covariance: torch.Tensor,
    count: int,
    seed: int,
    temperature: float = 1.0,
) -> torch.Tensor:
    """``count`` codes from ``N(mean, temperature^2 covariance)`` with a fixed seed."""
    jitter = 1e-6 * torch.eye(covariance.shape[0])
    cholesky = torch.linalg.cholesky(covariance + jitter)
    eps = sample_prior(count, mean.shape[0], seed, temperature)
    return mean + eps @ cholesky.T


def pca_basis(codes: torch.Tensor, components: int = 2) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean and the top principal directions of ``codes``.

    Returns:
        ``mean`` ``(latent_dim,)`` and ``directions`` ``(components, latent_dim)``, so a
        projection is ``(codes - mean) @ directions.T``.
    """
    mean = codes.mean(dim=0)
    _, _, right_vectors = torch.linalg.svd(codes - mean, full_matrices=False)
    directions = right_vectors[:components]
    # a fixed sign per direction keeps the picture from flipping between runs
    signs = torch.sign(directions[torch.arange(components), directions.abs().argmax(dim=1)])
    return mean, directions * signs.unsqueeze(1)
