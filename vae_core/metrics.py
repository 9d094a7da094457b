"""Continuity and completeness of a latent space, measured; CLI ``python -m vae_core.metrics``.

A latent space is *complete* when codes drawn from the distribution we sample from decode to
meaningful images, and *continuous* when nearby codes decode to similar images. Both are
measured here for any model with ``encode``/``decode``, with a trained classifier (the judge,
:mod:`vae_core.judge`) as the referee for "meaningful":

- completeness: validity (share of decoded samples the judge names with confidence at least
  :data:`VALIDITY_THRESHOLD`), class coverage (entropy of the judge's labels, in bits), hole
  rate (share of samples far from every encoded test code) and a Frechet distance between
  decoded samples and test images in the judge's feature space;
- continuity: jump ratio and path-length ratio of decoded interpolation paths, and the
  decoder's sensitivity ``||dD/dz||``;
- gaps on a 2-D plane (:mod:`vae_core.gap_maps`): density of the test codes, judge
  confidence, cycle error ``||E(D(z)) - z||`` and sensitivity, each as a grid.

Every figure is computed in a :class:`LatentFrame`: the model's own coordinates, or whitened
ones (codes moved to zero mean and identity covariance), because an autoencoder's codes live
on an arbitrary scale and N(0, I) means nothing to it.
"""

from __future__ import annotations

import logging
import math
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import torch
from torch.func import jvp

from vae_core.judge import Judge, judge_outputs
from vae_core.latent import (
    decode_codes,
    encode_images,
    fit_gaussian,
    lerp,
    sample_gaussian,
    sample_prior,
    slerp,
)
from vae_core.models import Autoencoder

logger = logging.getLogger(__name__)

# a decoded image counts as valid when the judge gives its top class at least this probability
VALIDITY_THRESHOLD = 0.8
# a sample sits in a hole when it is farther from every test code than this quantile of the
# codes' own nearest-neighbour distances
HOLE_QUANTILE = 0.99
DEFAULT_SAMPLES = 10_000
DEFAULT_PAIRS = 200
DEFAULT_PATH_STEPS = 32
DEFAULT_SENSITIVITY_PAIRS = 50
DEFAULT_MAP_STEPS = 64
DEFAULT_MAP_MARGIN = 0.1
DEFAULT_METRICS_SEED = 0
SOURCES = ("prior", "fitted", "box")
PATH_KINDS = ("lerp", "slerp")
FRAME_NAMES = ("own", "whitened")
# seeds of the separate random draws, offset from the settings' seed so they never coincide
SEED_OFFSETS = {"prior": 0, "fitted": 1, "box": 2, "pairs": 3}
CHUNK_SIZE = 1000
EIGENVALUE_FLOOR = 1e-10
MIN_ENDPOINT_DISTANCE = 1e-6
SENSITIVITY_QUANTILE = 0.99

Decode = Callable[[torch.Tensor], torch.Tensor]
ProgressCallback = Callable[[int, int, str], None]


@dataclass(frozen=True)
class MetricSettings:
    """How much to sample and where; the defaults are what the shipped cache uses.

    Args:
        samples: Codes decoded per sampling source (M).
        pairs: Random test-image pairs whose paths are decoded (K).
        path_steps: Codes per interpolation path, endpoints included (S).
        sensitivity_pairs: Pairs whose linear paths are used for the sensitivity figure.
        map_steps: Cells per side of the 2-D maps.
        map_margin: Share of the codes' range added on each side of a map's window.
        threshold: Judge confidence at or above which an image counts as valid.
        hole_quantile: Quantile of code-to-code nearest-neighbour distances that marks a hole.
        seed: Seed of every random draw.
    """

    samples: int = DEFAULT_SAMPLES
    pairs: int = DEFAULT_PAIRS
    path_steps: int = DEFAULT_PATH_STEPS
    sensitivity_pairs: int = DEFAULT_SENSITIVITY_PAIRS
    map_steps: int = DEFAULT_MAP_STEPS
    map_margin: float = DEFAULT_MAP_MARGIN
    threshold: float = VALIDITY_THRESHOLD
    hole_quantile: float = HOLE_QUANTILE
    seed: int = DEFAULT_METRICS_SEED

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return asdict(self)


@dataclass(frozen=True)
class LatentFrame:
    """An affine choice of latent coordinates: ``u = (z - mean) @ whiten.T``.

    Args:
        name: ``"own"`` (the model's coordinates) or ``"whitened"``.
        mean: ``(latent_dim,)``.
        whiten: ``(latent_dim, latent_dim)``, maps centred codes to frame coordinates.
        colour: ``(latent_dim, latent_dim)``, the inverse of ``whiten``.
    """

    name: str
    mean: torch.Tensor
    whiten: torch.Tensor
    colour: torch.Tensor

    def to_frame(self, z: torch.Tensor) -> torch.Tensor:
        """Model codes ``(N, latent_dim)`` to frame coordinates ``(N, latent_dim)``."""
        return (z - self.mean) @ self.whiten.T

    def from_frame(self, u: torch.Tensor) -> torch.Tensor:
        """Frame coordinates ``(N, latent_dim)`` back to model codes ``(N, latent_dim)``."""
        return self.mean + u @ self.colour.T


def own_frame(latent_dim: int) -> LatentFrame:
    """The model's own coordinates (the identity map)."""
    eye = torch.eye(latent_dim)
    return LatentFrame("own", torch.zeros(latent_dim), eye, eye)


def whitened_frame(codes: torch.Tensor) -> LatentFrame:
    """Coordinates in which ``codes`` ``(N, latent_dim)`` have zero mean and identity covariance.

    Uses the symmetric (ZCA) square root of the covariance, so the axes stay as close to the
    model's own as possible. Directions without variance are floored rather than divided by 0.
    """
    mean, covariance = fit_gaussian(codes.double())
    eigenvalues, eigenvectors = torch.linalg.eigh(covariance)
    floor = EIGENVALUE_FLOOR * max(eigenvalues.max().item(), EIGENVALUE_FLOOR)
    roots = eigenvalues.clamp(min=floor).sqrt()
    whiten = eigenvectors @ torch.diag(1 / roots) @ eigenvectors.T
    colour = eigenvectors @ torch.diag(roots) @ eigenvectors.T
    return LatentFrame("whitened", mean.float(), whiten.float(), colour.float())


def frame_decoder(model: Autoencoder, frame: LatentFrame) -> Decode:
    """A function that decodes frame coordinates ``(N, latent_dim)`` to images."""
    return lambda u: model.decode(frame.from_frame(u))


# --- completeness -------------------------------------------------------------------------


def validity(probabilities: torch.Tensor, threshold: float = VALIDITY_THRESHOLD) -> float:
    """Share of images whose top class probability (``(N, classes)`` input) is >= threshold."""
    return (probabilities.max(dim=1).values >= threshold).float().mean().item()


def class_coverage_bits(probabilities: torch.Tensor) -> float:
    """Entropy (bits) of the judge's label histogram; ``log2(classes)`` when all are equal."""
    labels = probabilities.argmax(dim=1)
    shares = torch.bincount(labels, minlength=probabilities.shape[1]).double() / len(labels)
    entropy = -(torch.xlogy(shares, shares).sum() / math.log(2)).item()
    # adding zero turns the -0.0 of a single class into 0.0
    return entropy + 0.0


def nearest_distances(
    points: torch.Tensor, references: torch.Tensor, exclude_self: bool = False
) -> torch.Tensor:
    """Euclidean distance from each point ``(N, d)`` to its nearest reference ``(R, d)``.

    With ``exclude_self`` the points are the references and a point's distance to itself is
    ignored. Returns ``(N,)``.
    """
    nearest = []
    for start in range(0, points.shape[0], CHUNK_SIZE):
        distances = torch.cdist(points[start : start + CHUNK_SIZE], references)
        if exclude_self:
            rows = torch.arange(distances.shape[0])
            distances[rows, rows + start] = math.inf
        nearest.append(distances.min(dim=1).values)
    return torch.cat(nearest)


def hole_threshold(codes: torch.Tensor, quantile: float = HOLE_QUANTILE) -> float:
    """The ``quantile`` of the codes' ``(N, d)`` nearest-neighbour distances to each other."""
    return torch.quantile(nearest_distances(codes, codes, exclude_self=True), quantile).item()


def hole_rate(samples: torch.Tensor, codes: torch.Tensor, threshold: float) -> float:
    """Share of samples ``(M, d)`` farther than ``threshold`` from every code ``(N, d)``."""
    return (nearest_distances(samples, codes) > threshold).float().mean().item()


def _sqrtm_trace(covariance_a: torch.Tensor, covariance_b: torch.Tensor) -> torch.Tensor:
    """``trace(sqrt(A B))`` for symmetric PSD ``A``, ``B`` through two eigendecompositions."""
    eigenvalues, eigenvectors = torch.linalg.eigh(covariance_a)
    root_a = eigenvectors @ torch.diag(eigenvalues.clamp(min=0).sqrt()) @ eigenvectors.T
    # sqrt(A) B sqrt(A) is symmetric and has the eigenvalues of A B
    middle = root_a @ covariance_b @ root_a
    return torch.linalg.eigvalsh((middle + middle.T) / 2).clamp(min=0).sqrt().sum()


def frechet_distance(features_a: torch.Tensor, features_b: torch.Tensor) -> float:
    """Frechet distance between Gaussians fitted to two feature sets ``(N, F)`` and ``(M, F)``.

    ``||mu_a - mu_b||^2 + tr(S_a + S_b - 2 sqrt(S_a S_b))`` (Heusel et al. 2017, eq. 6), in
    float64 with the matrix square root taken by eigendecomposition.
    """
    mean_a, covariance_a = fit_gaussian(features_a.double())
    mean_b, covariance_b = fit_gaussian(features_b.double())
    trace = covariance_a.trace() + covariance_b.trace()
    distance = (mean_a - mean_b).pow(2).sum() + trace - 2 * _sqrtm_trace(covariance_a, covariance_b)
    return max(distance.item(), 0.0)


def cycle_errors(model: Autoencoder, frame: LatentFrame, u: torch.Tensor) -> torch.Tensor:
    """``||E(D(z)) - z||`` measured in frame units, for frame coordinates ``u`` ``(N, d)``.

    Returns:
        ``(N,)``; ``E`` is the encoder's mean.
    """
    images = decode_codes(model, frame.from_frame(u))
    mu, _ = encode_images(model, images)
    return (frame.to_frame(mu) - u).norm(dim=1)


def source_samples(codes: torch.Tensor, count: int, seed: int) -> dict[str, torch.Tensor]:
    """The codes each sampling source draws, in the coordinates ``codes`` ``(N, d)`` are in.

    Returns:
        ``prior``: N(0, I); ``fitted``: a Gaussian fitted to the codes; ``box``: uniform over
        the codes' per-dimension min..max. Each is ``(count, d)`` with its own fixed seed.
    """
    latent_dim = codes.shape[1]
    mean, covariance = fit_gaussian(codes)
    low, high = codes.min(dim=0).values, codes.max(dim=0).values
    box_generator = torch.Generator().manual_seed(seed + SEED_OFFSETS["box"])
    return {
        "prior": sample_prior(count, latent_dim, seed + SEED_OFFSETS["prior"]),
        "fitted": sample_gaussian(mean, covariance, count, seed + SEED_OFFSETS["fitted"]),
        "box": low + (high - low) * torch.rand(count, latent_dim, generator=box_generator),
    }


# --- continuity ---------------------------------------------------------------------------


def path_steps(decode: Decode, paths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Pixel-space lengths of the steps along decoded paths.

    Args:
        decode: Codes ``(N, d)`` to images ``(N, C, H, W)``.
        paths: ``(K, S, d)``: K paths of S codes each.

    Returns:
        ``steps`` ``(K, S - 1)`` (L2 between consecutive images) and the L2 distance between
        each path's two decoded endpoints ``(K,)``.
    """
    count, length, latent_dim = paths.shape
    with torch.inference_mode():
        images = torch.cat([decode(chunk) for chunk in paths.reshape(-1, latent_dim).split(4096)])
    pixels = images.reshape(count, length, -1)
    steps = (pixels[:, 1:] - pixels[:, :-1]).norm(dim=2)
    return steps, (pixels[:, -1] - pixels[:, 0]).norm(dim=1)


def jump_ratios(steps: torch.Tensor) -> torch.Tensor:
    """Largest step over mean step per path (``(K, S - 1)`` -> ``(K,)``); 1 is perfectly even.

    A path whose decoded image never changes has no defined ratio and gets NaN.
    """
    mean = steps.mean(dim=1)
    return torch.where(mean > 0, steps.max(dim=1).values / mean.clamp(min=1e-30), math.nan)


def path_length_ratios(steps: torch.Tensor, endpoint_distances: torch.Tensor) -> torch.Tensor:
    """Summed steps over the endpoints' distance per path; 1 is a straight line in pixels.

    Paths whose endpoints decode to (almost) the same image get NaN. Returns ``(K,)``.
    """
    valid = endpoint_distances > MIN_ENDPOINT_DISTANCE
    ratios = steps.sum(dim=1) / endpoint_distances.clamp(min=MIN_ENDPOINT_DISTANCE)
    return torch.where(valid, ratios, math.nan)


def random_pairs(count: int, pairs: int, seed: int) -> torch.Tensor:
    """``pairs`` random pairs of distinct indices below ``count``: ``(pairs, 2)``."""
    generator = torch.Generator().manual_seed(seed + SEED_OFFSETS["pairs"])
    first = torch.randint(count, (pairs,), generator=generator)
    offset = torch.randint(1, max(count, 2), (pairs,), generator=generator)
    return torch.stack([first, (first + offset) % count], dim=1)


def interpolation_paths(
    starts: torch.Tensor, ends: torch.Tensor, steps: int, kind: str
) -> torch.Tensor:
    """Linear or spherical paths between the rows of ``starts`` and ``ends`` ``(K, d)``.

    Returns:
        ``(K, S, d)``.
    """
    interpolate = {"lerp": lerp, "slerp": slerp}[kind]
    paths = [interpolate(start, end, steps) for start, end in zip(starts, ends, strict=True)]
    return torch.stack(paths)


def decoder_sensitivity(decode: Decode, z: torch.Tensor) -> torch.Tensor:
    """Frobenius norm of the decoder's Jacobian ``dD/dz`` at each code ``(N, d)``: ``(N,)``.

    Forward-mode differentiation along each latent axis gives one Jacobian column for every
    code at once (the decoder treats codes independently), so the cost is ``d`` batched
    decoder passes, cheap for the small latent sizes used here.
    """
    squared = torch.zeros(z.shape[0], dtype=z.dtype)
    for axis in range(z.shape[1]):
        tangent = torch.zeros_like(z)
        tangent[:, axis] = 1
        columns = [
            jvp(decode, (chunk,), (direction,))[1].flatten(start_dim=1)
            for chunk, direction in zip(z.split(CHUNK_SIZE), tangent.split(CHUNK_SIZE), strict=True)
        ]
        squared += torch.cat(columns).pow(2).sum(dim=1)
    return squared.sqrt()


def _nan_mean(values: torch.Tensor) -> float:
    return values.nanmean().item()


def continuity_figures(
    decode: Decode, codes: torch.Tensor, pairs: torch.Tensor, settings: MetricSettings
) -> dict[str, float]:
    """Jump and path-length ratios of linear and spherical paths, and the sensitivity.

    Args:
        decode: Frame coordinates to images.
        codes: Encoded test images in frame coordinates ``(N, d)``.
        pairs: Index pairs into ``codes`` ``(K, 2)``.

    Returns:
        ``jump_ratio.<path>`` and ``path_length_ratio.<path>`` (means over the pairs),
        ``sensitivity.mean`` and ``sensitivity.p99`` (over the linear paths' codes).
    """
    figures = {}
    starts, ends = codes[pairs[:, 0]], codes[pairs[:, 1]]
    for kind in PATH_KINDS:
        paths = interpolation_paths(starts, ends, settings.path_steps, kind)
        steps, endpoint_distances = path_steps(decode, paths)
        figures[f"jump_ratio.{kind}"] = _nan_mean(jump_ratios(steps))
        ratios = path_length_ratios(steps, endpoint_distances)
        figures[f"path_length_ratio.{kind}"] = _nan_mean(ratios)

    # the sensitivity is sampled where the continuity figures look: on the linear paths
    count = settings.sensitivity_pairs
    paths = interpolation_paths(starts[:count], ends[:count], settings.path_steps, "lerp")
    sensitivity = decoder_sensitivity(decode, paths.reshape(-1, codes.shape[1]))
    figures["sensitivity.mean"] = sensitivity.mean().item()
    figures["sensitivity.p99"] = torch.quantile(sensitivity, SENSITIVITY_QUANTILE).item()
    return figures


# --- one model ----------------------------------------------------------------------------


def completeness_figures(
    model: Autoencoder,
    judge: Judge,
    frame: LatentFrame,
    codes: torch.Tensor,
    test_features: torch.Tensor,
    settings: MetricSettings,
) -> dict[str, float]:
    """Validity, coverage, hole rate, Frechet distance and cycle error for every source.

    Args:
        codes: Encoded test images in frame coordinates ``(N, d)``.
        test_features: The judge's features of the test images ``(N, F)``.

    Returns:
        ``<figure>.<source>`` for figure in validity, coverage_bits, hole_rate, frechet,
        cycle_error and source in :data:`SOURCES`.
    """
    figures = {}
    threshold = hole_threshold(codes, settings.hole_quantile)
    for source, u in source_samples(codes, settings.samples, settings.seed).items():
        images = decode_codes(model, frame.from_frame(u))
        probabilities, features = judge_outputs(judge, images)
        mu, _ = encode_images(model, images)
        figures[f"validity.{source}"] = validity(probabilities, settings.threshold)
        figures[f"coverage_bits.{source}"] = class_coverage_bits(probabilities)
        figures[f"hole_rate.{source}"] = hole_rate(u, codes, threshold)
        figures[f"frechet.{source}"] = frechet_distance(features, test_features)
        figures[f"cycle_error.{source}"] = (frame.to_frame(mu) - u).norm(dim=1).mean().item()
    return figures


def measure_model(
    model: Autoencoder,
    judge: Judge,
    test_images: torch.Tensor,
    test_features: torch.Tensor,
    settings: MetricSettings,
) -> dict[str, dict[str, float]]:
    """Every figure for one model, in its own coordinates and in whitened ones.

    Args:
        model: An AE or a VAE in eval mode (never modified).
        judge: The data set's judge.
        test_images: ``(N, C, H, W)``; their codes are the reference set.
        test_features: The judge's features of ``test_images`` ``(N, F)``.

    Returns:
        ``{"own": figures, "whitened": figures}``, each as described in
        :func:`completeness_figures` and :func:`continuity_figures`.
    """
    codes, _ = encode_images(model, test_images)
    pairs = random_pairs(codes.shape[0], settings.pairs, settings.seed)
    results = {}
    for frame in (own_frame(model.latent_dim), whitened_frame(codes)):
        frame_codes = frame.to_frame(codes)
        figures = completeness_figures(model, judge, frame, frame_codes, test_features, settings)
        decode = frame_decoder(model, frame)
        results[frame.name] = figures | continuity_figures(decode, frame_codes, pairs, settings)
    return results


def reference_figures(
    judge: Judge, test_images: torch.Tensor, settings: MetricSettings
) -> tuple[dict[str, float], torch.Tensor]:
    """The ceiling: validity and coverage of real test images, and their judge features."""
    probabilities, features = judge_outputs(judge, test_images)
    figures = {
        "validity": validity(probabilities, settings.threshold),
        "coverage_bits": class_coverage_bits(probabilities),
    }
    return figures, features


# --- CLI ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run ``python -m vae_core.metrics`` (train-judge, build-cache, report); returns the status."""
    # imported here: the CLI builds on the cache module, which builds on this one
    from vae_core.metrics_cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
