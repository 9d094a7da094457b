"""Continuity and completeness measures: known answers on toy decoders, frames, maps, cache, CLI."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import torch
from torch import nn

from tests.vae_core.helpers import make_model, run_cli, save_model, tiny_config
from vae_core.checkpoints import CheckpointError, file_sha256, save_tensors
from vae_core.config import ModelConfig
from vae_core.gap_maps import convex_hull, core_hull, inside_hull, kde_density, largest_gap
from vae_core.judge import Judge, JudgeConfig, judge_outputs, judge_path, save_judge
from vae_core.metrics import (
    FRAME_NAMES,
    PATH_KINDS,
    SOURCES,
    MetricSettings,
    class_coverage_bits,
    completeness_figures,
    continuity_figures,
    decoder_sensitivity,
    frechet_distance,
    hole_rate,
    hole_threshold,
    interpolation_paths,
    jump_ratios,
    measure_model,
    own_frame,
    path_length_ratios,
    path_steps,
    random_pairs,
    source_samples,
    validity,
    whitened_frame,
)
from vae_core.metrics import main as metrics_main
from vae_core.metrics_cache import (
    build_cache,
    bundled_test_images_path,
    figures_csv,
    figures_latex,
    load_cache,
    save_cache,
    stale_entries,
)
from vae_core.models import Autoencoder

KINDS = ("ae", "vae")
CLASSES = 10
PIXELS = 28 * 28
TINY_SETTINGS = MetricSettings(
    samples=64, pairs=4, path_steps=6, sensitivity_pairs=2, map_steps=6, seed=0
)
DATASET = "mnist"


# --- toys ---------------------------------------------------------------------------------


def templates(seed: int = 0) -> torch.Tensor:
    """Ten random binary 28 x 28 images ``(10, 1, 28, 28)``: the toy world's ten classes."""
    generator = torch.Generator().manual_seed(seed)
    return (torch.rand(CLASSES, 1, 28, 28, generator=generator) > 0.5).float()


class TemplateJudge(nn.Module):
    """A toy judge: scores each class by closeness to its template; sure only near one."""

    def __init__(self, temperature: float = 10.0) -> None:
        super().__init__()
        self.register_buffer("templates", templates().flatten(start_dim=1))
        self.temperature = temperature

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return -torch.cdist(x.flatten(start_dim=1), self.templates).pow(2)

    def classify(self, features: torch.Tensor) -> torch.Tensor:
        return features / self.temperature


class ToyModel(Autoencoder):
    """A 2-D 'model' with a hand-written decoder; it encodes by reading two pixels back."""

    def __init__(self, decode_fn) -> None:  # noqa: ANN001 - a test-only callable
        super().__init__(ModelConfig("ae", 2, (4,)))
        self.decode_fn = decode_fn

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decode_fn(z)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, None]:
        return x.flatten(start_dim=1)[:, :2], None


LINEAR_SCALE = 0.01


def linear_weight() -> torch.Tensor:
    """``(784, 2)`` with orthogonal columns of equal norm: each moves one half of the image."""
    weight = torch.zeros(PIXELS, 2)
    weight[: PIXELS // 2, 0] = LINEAR_SCALE
    weight[PIXELS // 2 :, 1] = LINEAR_SCALE
    return weight


def linear_decode(z: torch.Tensor) -> torch.Tensor:
    return (z @ linear_weight().T.to(z.dtype) + 0.5).reshape(-1, 1, 28, 28)


def step_decode(z: torch.Tensor) -> torch.Tensor:
    world = templates()
    return torch.where((z[:, 0] < 0).reshape(-1, 1, 1, 1), world[0], world[1])


def noise_decode(z: torch.Tensor) -> torch.Tensor:
    generator = torch.Generator().manual_seed(z.shape[0])
    return torch.rand(z.shape[0], 1, 28, 28, generator=generator)


def template_decode(z: torch.Tensor) -> torch.Tensor:
    """Every code decodes to one of the ten templates: a perfectly complete toy decoder."""
    labels = (z[:, 0].abs() * 10).long() % CLASSES
    return templates()[labels]


def real_images(count: int = 200, seed: int = 1) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    labels = torch.arange(count) % CLASSES
    noise = 0.1 * torch.rand(count, 1, 28, 28, generator=generator)
    return templates()[labels] * 0.9 + noise


# --- completeness -------------------------------------------------------------------------


def test_validity_and_coverage_known_answers() -> None:
    confident = torch.eye(CLASSES)
    assert validity(confident, 0.8) == 1.0
    assert validity(torch.full((5, CLASSES), 1 / CLASSES), 0.8) == 0.0
    assert class_coverage_bits(confident) == pytest.approx(math.log2(CLASSES))
    single = class_coverage_bits(confident[[3, 3, 3]])
    assert single == 0.0 and math.copysign(1.0, single) == 1.0


def test_noise_decoder_has_low_validity_and_template_decoder_high() -> None:
    judge = TemplateJudge()
    codes = torch.randn(100, 2, generator=torch.Generator().manual_seed(0))
    test_probabilities, test_features = judge_outputs(judge, real_images())
    assert validity(test_probabilities) > 0.95
    figures = {}
    for name, decode in (("noise", noise_decode), ("templates", template_decode)):
        model = ToyModel(decode)
        frame = own_frame(2)
        figures[name] = completeness_figures(
            model, judge, frame, codes, test_features, TINY_SETTINGS
        )
    for source in SOURCES:
        assert figures["noise"][f"validity.{source}"] < 0.2
        assert figures["templates"][f"validity.{source}"] > 0.95
        assert figures["noise"][f"frechet.{source}"] > figures["templates"][f"frechet.{source}"]


def test_hole_rate_known_answers() -> None:
    grid = torch.stack(torch.meshgrid(torch.arange(10.0), torch.arange(10.0), indexing="ij"))
    codes = grid.reshape(2, -1).T
    # every code's nearest neighbour is exactly 1 away
    assert hole_threshold(codes) == pytest.approx(1.0)
    assert hole_rate(codes + 0.1, codes, 1.0) == 0.0
    assert hole_rate(codes + 100, codes, 1.0) == 1.0
    mixed = torch.cat([codes[:50], codes[:50] + 100])
    assert hole_rate(mixed, codes, 1.0) == pytest.approx(0.5)


def test_frechet_distance_known_answers() -> None:
    features = torch.randn(500, 4, generator=torch.Generator().manual_seed(0))
    shift = torch.tensor([1.0, -2.0, 0.5, 0.0])
    assert frechet_distance(features, features) == pytest.approx(0.0, abs=1e-6)
    assert frechet_distance(features, features + shift) == pytest.approx(5.25, rel=1e-6)
    # doubling the spread around the same mean: tr(S + 4S - 2 * 2S) = tr(S)
    mean = features.double().mean(dim=0)
    centred = features.double() - mean
    expected = centred.var(dim=0).sum()
    scaled = (mean + 2 * centred).float()
    assert frechet_distance(features, scaled) == pytest.approx(expected.item(), rel=1e-4)


def test_sources_are_seeded_and_follow_the_codes() -> None:
    codes = torch.randn(400, 2, generator=torch.Generator().manual_seed(0)) * 5 + 20
    first, second = source_samples(codes, 300, 7), source_samples(codes, 300, 7)
    for source in SOURCES:
        assert torch.equal(first[source], second[source])
    assert first["prior"].mean(dim=0).abs().max() < 0.3
    assert (first["fitted"].mean(dim=0) - 20).abs().max() < 1.0
    low, high = codes.min(dim=0).values, codes.max(dim=0).values
    assert ((first["box"] >= low) & (first["box"] <= high)).all()


# --- continuity ---------------------------------------------------------------------------


def test_linear_decoder_has_jump_ratio_one() -> None:
    starts = torch.tensor([[-2.0, 1.0], [0.5, 0.5], [3.0, -1.0]])
    ends = torch.tensor([[2.0, -1.5], [1.5, -2.0], [-3.0, -1.0]])
    paths = interpolation_paths(starts, ends, 16, "lerp")
    steps, endpoints = path_steps(linear_decode, paths)
    assert torch.allclose(jump_ratios(steps), torch.ones(3), atol=1e-4)
    assert torch.allclose(path_length_ratios(steps, endpoints), torch.ones(3), atol=1e-4)


def test_spherical_path_on_an_isometric_decoder_is_an_even_arc() -> None:
    # a quarter circle: even steps, and arc over chord = (pi / 2) / sqrt(2)
    paths = interpolation_paths(torch.tensor([[2.0, 0.0]]), torch.tensor([[0.0, 2.0]]), 64, "slerp")
    steps, endpoints = path_steps(linear_decode, paths)
    assert jump_ratios(steps).item() == pytest.approx(1.0, abs=1e-3)
    expected = (math.pi / 2) / math.sqrt(2)
    assert path_length_ratios(steps, endpoints).item() == pytest.approx(expected, rel=1e-3)


def test_step_decoder_has_a_large_jump_ratio() -> None:
    paths = interpolation_paths(torch.tensor([[-1.0, 0.0]]), torch.tensor([[1.0, 0.1]]), 32, "lerp")
    steps, _ = path_steps(step_decode, paths)
    # all change happens in one of the 31 steps
    assert jump_ratios(steps).item() == pytest.approx(31.0)


def test_constant_decoder_gives_nan_not_a_crash() -> None:
    paths = interpolation_paths(torch.zeros(2, 2), torch.ones(2, 2), 5, "lerp")
    steps, endpoints = path_steps(lambda z: torch.zeros(z.shape[0], 1, 28, 28), paths)
    assert torch.isnan(jump_ratios(steps)).all()
    assert torch.isnan(path_length_ratios(steps, endpoints)).all()


def test_sensitivity_of_a_linear_decoder_is_its_frobenius_norm() -> None:
    norms = decoder_sensitivity(linear_decode, torch.randn(7, 2))
    assert torch.allclose(norms, torch.full((7,), linear_weight().norm().item()), rtol=1e-5)


def test_sensitivity_matches_autograd_on_a_real_model() -> None:
    model = make_model(tiny_config("vae"))
    z = torch.randn(3, 2, generator=torch.Generator().manual_seed(0))
    norms = decoder_sensitivity(model.decode, z)
    for index in range(3):
        jacobian = torch.autograd.functional.jacobian(
            lambda code: model.decode(code.unsqueeze(0)).flatten(), z[index]
        )
        assert norms[index].item() == pytest.approx(jacobian.norm().item(), rel=1e-4)


def test_random_pairs_are_seeded_and_distinct() -> None:
    pairs = random_pairs(5, 200, 0)
    assert torch.equal(pairs, random_pairs(5, 200, 0))
    assert not torch.equal(pairs, random_pairs(5, 200, 1))
    assert (pairs[:, 0] != pairs[:, 1]).all() and pairs.min() >= 0 and pairs.max() < 5


# --- frames -------------------------------------------------------------------------------


def test_whitening_gives_zero_mean_and_identity_covariance() -> None:
    generator = torch.Generator().manual_seed(0)
    mixing = torch.tensor([[3.0, 0.0, 0.0], [2.0, 0.5, 0.0], [-1.0, 4.0, 0.1]])
    codes = torch.randn(2000, 3, generator=generator) @ mixing.T + torch.tensor([10.0, -5, 2])
    frame = whitened_frame(codes)
    whitened = frame.to_frame(codes).double()
    assert whitened.mean(dim=0).abs().max() < 1e-4
    assert torch.allclose(torch.cov(whitened.T), torch.eye(3, dtype=torch.float64), atol=1e-3)
    assert torch.allclose(frame.from_frame(frame.to_frame(codes)), codes, atol=1e-3)


def test_lerp_figures_do_not_depend_on_the_frame() -> None:
    # a straight line stays straight under an affine change of coordinates
    model = make_model(tiny_config("ae"))
    codes = torch.randn(50, 2, generator=torch.Generator().manual_seed(0)) * 3 + 1
    pairs = random_pairs(50, 6, 0)
    figures = {}
    for frame in (own_frame(2), whitened_frame(codes)):
        decode = lambda u, frame=frame: model.decode(frame.from_frame(u))  # noqa: E731
        figures[frame.name] = continuity_figures(
            decode, frame.to_frame(codes), pairs, TINY_SETTINGS
        )
    for name in ("jump_ratio.lerp", "path_length_ratio.lerp"):
        assert figures["own"][name] == pytest.approx(figures["whitened"][name], rel=1e-3)


# --- maps ---------------------------------------------------------------------------------


def test_density_map_shows_an_empty_region() -> None:
    generator = torch.Generator().manual_seed(0)
    codes = torch.rand(4000, 2, generator=generator)
    # empty the top-right quadrant
    codes = codes[~((codes[:, 0] > 0.5) & (codes[:, 1] > 0.5))]
    density = kde_density(codes, torch.tensor([[0.25, 0.25], [0.8, 0.8], [0.25, 0.8]]))
    assert density[1] < 0.05 * density[0]
    assert density[2] > 0.5 * density[0]


def test_density_integrates_to_one() -> None:
    codes = torch.randn(500, 2, generator=torch.Generator().manual_seed(0)) * torch.tensor([2, 0.5])
    steps = 200
    xs, ys = torch.linspace(-12, 12, steps), torch.linspace(-4, 4, steps)
    grid = torch.stack(torch.meshgrid(xs, ys, indexing="ij"), dim=-1).reshape(-1, 2)
    cell = (xs[1] - xs[0]) * (ys[1] - ys[0])
    assert (kde_density(codes, grid).sum() * cell).item() == pytest.approx(1.0, abs=0.01)


def test_largest_gap_prefers_empty_cells_with_high_cycle_error_inside_the_hull() -> None:
    grid = torch.tensor([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [9.0, 9.0]])
    maps = {
        "density": torch.tensor([5.0, 0.0, 4.0, 0.0]),
        "cycle_error": torch.tensor([1.0, 3.0, 4.0, 100.0]),
    }
    hull = torch.tensor([[-1.0, -1.0], [3.0, -1.0], [3.0, 1.0], [-1.0, 1.0]])
    index, score = largest_gap(grid, maps, hull)
    # cell 3 scores higher but lies outside the codes' hull
    assert index == 1 and score == pytest.approx(0.75)


def test_convex_hull_and_inside_test() -> None:
    generator = torch.Generator().manual_seed(0)
    corners = torch.tensor([[0.0, 0.0], [4.0, 0.0], [4.0, 2.0], [0.0, 2.0]])
    points = torch.cat(
        [torch.rand(200, 2, generator=generator) * torch.tensor([4.0, 2.0]), corners]
    )
    hull = convex_hull(points)
    assert {tuple(corner) for corner in hull.tolist()} == {tuple(c) for c in corners.tolist()}
    probes = torch.tensor([[2.0, 1.0], [0.0, 0.0], [4.1, 1.0], [2.0, -0.1]])
    assert inside_hull(probes, hull).tolist() == [True, True, False, False]


def test_core_hull_leaves_outliers_out() -> None:
    generator = torch.Generator().manual_seed(0)
    cloud = torch.randn(2000, 2, generator=generator)
    outlier = torch.tensor([[40.0, 40.0]])
    hull = core_hull(torch.cat([cloud, outlier]))
    assert not inside_hull(torch.tensor([[20.0, 20.0]]), hull).item()
    assert inside_hull(torch.tensor([[0.0, 0.0]]), hull).item()


def test_empty_middle_of_a_ring_is_the_largest_gap() -> None:
    # codes on a ring; a toy model whose cycle error is largest in the empty middle
    generator = torch.Generator().manual_seed(0)
    angles = torch.rand(3000, generator=generator) * 2 * math.pi
    radii = 3 + 0.2 * torch.randn(3000, generator=generator)
    codes = torch.stack([radii * angles.cos(), radii * angles.sin()], dim=1)
    grid = torch.cartesian_prod(torch.linspace(-4, 4, 33), torch.linspace(-4, 4, 33))
    maps = {"density": kde_density(codes, grid), "cycle_error": 1 / (1 + grid.norm(dim=1))}
    index, _ = largest_gap(grid, maps, core_hull(codes))
    assert grid[index].norm().item() < 0.5


# --- one model, the cache and the CLI -----------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_measure_model_gives_every_figure_in_both_frames(kind: str) -> None:
    model = make_model(tiny_config(kind))
    judge = Judge(JudgeConfig(channels=(2,), hidden=4)).eval()
    images = real_images(60)
    _, test_features = judge_outputs(judge, images)
    results = measure_model(model, judge, images, test_features, TINY_SETTINGS)
    assert set(results) == set(FRAME_NAMES)
    for figures in results.values():
        for source in SOURCES:
            assert 0 <= figures[f"validity.{source}"] <= 1
            assert 0 <= figures[f"coverage_bits.{source}"] <= math.log2(CLASSES) + 1e-9
            assert 0 <= figures[f"hole_rate.{source}"] <= 1
            assert figures[f"frechet.{source}"] >= 0 and figures[f"cycle_error.{source}"] >= 0
        for kind_of_path in PATH_KINDS:
            assert figures[f"jump_ratio.{kind_of_path}"] >= 1
        assert figures["sensitivity.p99"] >= figures["sensitivity.mean"] * 0.5 > 0


def write_tiny_checkpoints(folder: Path) -> Path:
    """An AE/VAE pair, test images and a judge, laid out like the shipped checkpoints/."""
    for index, kind in enumerate(KINDS):
        save_model(
            folder / f"{DATASET}-{kind}-z2.safetensors",
            make_model(tiny_config(kind), index),
            DATASET,
        )
    save_model(folder / f"{DATASET}-vae-z3.safetensors", make_model(tiny_config("vae", 3)), DATASET)
    pixels = (real_images(40) * 255).round().to(torch.uint8)
    labels = torch.arange(40) % CLASSES
    metadata = {"dataset": DATASET, "kind": "test-images"}
    save_tensors(
        bundled_test_images_path(folder, DATASET), {"images": pixels, "labels": labels}, metadata
    )
    torch.manual_seed(0)
    judge_metadata = {"dataset": DATASET, "seed": 0, "epochs": 0, "test": {"accuracy": 0.1}}
    save_judge(
        judge_path(folder, DATASET), Judge(JudgeConfig(channels=(2,), hidden=4)), judge_metadata
    )
    (folder / "broken.safetensors").write_bytes(b"not a checkpoint")
    return folder


def test_cache_round_trip_and_staleness(tmp_path: Path) -> None:
    folder = write_tiny_checkpoints(tmp_path / "checkpoints")
    steps = []
    cache = build_cache(
        folder, TINY_SETTINGS, lambda done, total, label: steps.append((done, total))
    )
    # 1 reference set, 3 models' figures, 2 maps (only the 2-D models have maps)
    assert steps[-1] == (6, 6) and len(steps) == 6
    assert set(cache.models) == {"mnist-ae-z2", "mnist-vae-z2", "mnist-vae-z3"}
    assert set(cache.maps) == {"mnist-ae-z2", "mnist-vae-z2"}
    assert "broken.safetensors" in cache.document["skipped"]

    save_cache(cache, tmp_path / "metrics")
    loaded = load_cache(tmp_path / "metrics")
    assert loaded.document == json.loads(json.dumps(cache.document))
    assert loaded.settings == TINY_SETTINGS
    for stem, maps in cache.maps.items():
        for name, grid in maps.maps.items():
            assert torch.equal(loaded.maps[stem].maps[name], grid)
            assert grid.shape == (TINY_SETTINGS.map_steps, TINY_SETTINGS.map_steps)

    hashes = {stem: file_sha256(folder / f"{stem}.safetensors") for stem in cache.models}
    judges = {DATASET: file_sha256(judge_path(folder, DATASET))}
    assert stale_entries(loaded, hashes, judges) == {}
    changed = {**hashes, "mnist-ae-z2": "0" * 64, "mnist-ae-z16": "1" * 64}
    reasons = stale_entries(loaded, changed, judges)
    assert set(reasons) == {"mnist-ae-z2", "mnist-ae-z16"}
    assert "changed" in reasons["mnist-ae-z2"] and "not in" in reasons["mnist-ae-z16"]
    assert set(stale_entries(loaded, hashes, {DATASET: None})) == set(hashes)
    data = {DATASET: file_sha256(bundled_test_images_path(folder, DATASET))}
    assert stale_entries(loaded, hashes, judges, data) == {}
    reasons = stale_entries(loaded, hashes, judges, {DATASET: "2" * 64})
    assert set(reasons) == set(hashes) and all("test images" in r for r in reasons.values())


def test_same_inputs_give_the_same_cache(tmp_path: Path) -> None:
    folder = write_tiny_checkpoints(tmp_path / "checkpoints")
    first, second = build_cache(folder, TINY_SETTINGS), build_cache(folder, TINY_SETTINGS)
    for stem in first.models:
        assert first.models[stem]["figures"] == second.models[stem]["figures"]


@pytest.mark.parametrize("damage", ["missing", "not json", "wrong schema", "foreign maps"])
def test_a_damaged_cache_raises_one_clear_error(tmp_path: Path, damage: str) -> None:
    folder = write_tiny_checkpoints(tmp_path / "checkpoints")
    out = tmp_path / "metrics"
    save_cache(build_cache(folder, TINY_SETTINGS), out)
    figures_file = out / "metrics.json"
    if damage == "missing":
        figures_file.unlink()
    elif damage == "not json":
        figures_file.write_text("{ half a document")
    elif damage == "wrong schema":
        document = json.loads(figures_file.read_text())
        figures_file.write_text(json.dumps({**document, "schema": "lse-metrics/0"}))
    else:
        document = json.loads(figures_file.read_text())
        document["models"]["mnist-ae-z2"]["sha256"] = "f" * 64
        figures_file.write_text(json.dumps(document))
    with pytest.raises(CheckpointError):
        load_cache(out)


def test_exports() -> None:
    header = ["figure", "AE", "VAE"]
    rows = [["validity (N(0, I))", "0.12", "0.80"], ["hole rate, 99% & up", "0.5", "0.01"]]
    text = figures_csv(header, rows)
    assert text.splitlines()[0] == "figure,AE,VAE"
    assert '"validity (N(0, I))",0.12,0.80' in text
    latex = figures_latex(header, rows, "Seeds 0_1, 100% sure", "tab:metrics")
    assert r"\caption{Seeds 0\_1, 100\% sure}" in latex
    assert r"hole rate, 99\% \& up & 0.5 & 0.01 \\" in latex
    assert r"\begin{tabular}{lrr}" in latex and latex.count(r"\\") == 3
    notation = figures_latex(["Figure"], [["||∂D/∂z|| · z ~ N(0, I), β ≥ 2, log₁₀"]], "", "t")
    assert (
        r"$|$$|$$\partial$D/$\partial$z$|$$|$ $\cdot$ z $\sim$ N(0, I), $\beta$ $\geq$ 2"
        in notation
    )
    assert r"log$_1$$_0$" in notation and notation.isascii()


def test_cli_help() -> None:
    with pytest.raises(SystemExit) as stopped:
        metrics_main(["--help"])
    assert stopped.value.code == 0


def test_cli_dry_run_writes_nothing(tmp_path: Path) -> None:
    folder = write_tiny_checkpoints(tmp_path / "checkpoints")
    result = run_cli("vae_core.metrics", "build-cache", "--checkpoints", str(folder), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "measured 3 models" in result.stderr and "took" in result.stderr
    assert "skipped broken.safetensors" in result.stderr
    assert not (folder / "metrics").exists()


def test_cli_builds_and_reports_a_cache(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = write_tiny_checkpoints(tmp_path / "checkpoints")
    small = ["--samples", "32", "--pairs", "2", "--path-steps", "4", "--map-steps", "4"]
    assert metrics_main(["build-cache", "--checkpoints", str(folder), *small]) == 0
    assert load_cache(folder / "metrics").settings.samples == 32
    capsys.readouterr()
    assert metrics_main(["report", "--cache", str(folder / "metrics")]) == 0
    report = capsys.readouterr().out
    assert "mnist-ae-z2" in report and "validity.prior=" in report
    assert metrics_main(["report", "--cache", str(tmp_path / "nowhere")]) == 1


def test_cli_refuses_a_folder_without_models(tmp_path: Path) -> None:
    assert metrics_main(["build-cache", "--checkpoints", str(tmp_path), "--dry-run"]) == 1
