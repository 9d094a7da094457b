"""Widgets change what a page shows, and the same state always shows the same pictures."""

from __future__ import annotations

from tests.app.conftest import download_urls, image_urls, page_app, plotly_specs, problems

# a small data set keeps these runs quick; every page treats both data sets alike
DATASET = "mnist"


def test_same_state_draws_the_same_pictures() -> None:
    first = page_app("sampling", dataset=DATASET).run()
    second = page_app("sampling", dataset=DATASET).run()

    assert image_urls(first) == image_urls(second)
    assert download_urls(first) == download_urls(second)


def test_sampling_seed_changes_the_samples() -> None:
    app = page_app("sampling", dataset=DATASET).run()
    before = image_urls(app)

    app.number_input(key="sampling.seed").set_value(7).run()

    after = image_urls(app)
    assert problems(app) == []
    assert len(after) == len(before) == 3
    assert all(old != new for old, new in zip(before, after, strict=True))


def test_sampling_new_seed_button_moves_to_the_next_seed() -> None:
    app = page_app("sampling", dataset=DATASET).run()
    before = image_urls(app)

    app.button(key="sampling.next_seed").click().run()

    assert app.session_state["sampling.seed"] == 1
    assert image_urls(app) != before


def test_sampling_temperature_changes_the_samples() -> None:
    app = page_app("sampling", dataset=DATASET).run()
    before = image_urls(app)

    app.slider(key="sampling.temperature").set_value(0.5).run()

    assert image_urls(app) != before


def test_manifold_grid_size_changes_the_mosaic() -> None:
    app = page_app("manifold_grid", dataset=DATASET).run()
    before = plotly_specs(app)

    app.slider(key="manifold_grid.steps").set_value(9).run()

    after = plotly_specs(app)
    assert problems(app) == []
    assert len(after) == len(before) == 2
    assert all(old != new for old, new in zip(before, after, strict=True))


def test_manifold_gaussian_grid_uses_quantile_axes() -> None:
    app = page_app("manifold_grid", dataset=DATASET).run()

    app.toggle(key="manifold_grid.gaussian").set_value(True).run()

    assert problems(app) == []
    assert app.slider(key="manifold_grid.extent").disabled
    assert all("quantile of z1" in spec for spec in plotly_specs(app))


def test_manifold_density_switch_removes_the_contours() -> None:
    app = page_app("manifold_grid", dataset=DATASET).run()
    assert all("histogram2dcontour" in spec for spec in plotly_specs(app))

    app.toggle(key="manifold_grid.show_density").set_value(False).run()

    assert not any("histogram2dcontour" in spec for spec in plotly_specs(app))


def test_latent_map_index_changes_the_selected_images() -> None:
    app = page_app("latent_map", dataset=DATASET).run()
    before = image_urls(app)

    app.number_input(key="latent_map.selected_index").set_value(5).run()

    after = image_urls(app)
    assert problems(app) == []
    # original and both reconstructions change; the pad's decoded images stay
    assert after[:3] != before[:3]
    assert after[3:] == before[3:]


def test_latent_pad_position_changes_both_decoded_images() -> None:
    app = page_app("latent_map", dataset=DATASET).run()
    before = image_urls(app)

    app.slider(key="latent_map.pad_x").set_value(2.0).run()

    after = image_urls(app)
    assert problems(app) == []
    assert after[:3] == before[:3]
    assert after[3] != before[3] and after[4] != before[4]


def test_latent_pad_window_keeps_the_position_inside() -> None:
    app = page_app("latent_map", dataset=DATASET, state={"latent_map.pad_x": 30.0}).run()

    app.select_slider(key="latent_map.pad_extent").set_value(2.0).run()

    assert problems(app) == []
    assert app.slider(key="latent_map.pad_x").value == 2.0


def test_interpolation_random_pair_picks_two_new_images() -> None:
    app = page_app("interpolation", dataset=DATASET).run()
    before = image_urls(app)

    app.button(key="interpolation.random").click().run()

    start = app.number_input(key="interpolation.start_index").value
    end = app.number_input(key="interpolation.end_index").value
    assert problems(app) == []
    assert start != end and (start, end) != (0, 1)
    assert image_urls(app) != before


def test_interpolation_steps_change_the_strips_and_gif() -> None:
    app = page_app("interpolation", dataset=DATASET).run()
    before = download_urls(app)

    app.slider(key="interpolation.steps").set_value(5).run()

    after = download_urls(app)
    assert after["interpolation.download_gif"] != before["interpolation.download_gif"]
    assert after["interpolation.download_png"] != before["interpolation.download_png"]


def test_denoising_strength_changes_the_noisy_images() -> None:
    app = page_app("applications", dataset=DATASET).run()
    before = image_urls(app)

    app.slider(key="applications.noise").set_value(0.8).run()

    assert problems(app) == []
    assert image_urls(app)[0] != before[0]


def test_anomaly_tab_reports_an_auroc_per_score() -> None:
    app = page_app("applications", dataset=DATASET).run()

    roc = [spec for spec in plotly_specs(app) if "AUROC" in spec]
    assert len(roc) == 1
    # AE reconstruction, VAE reconstruction and VAE negative ELBO, each raw and above floor
    assert roc[0].count("AUROC") == 6


def test_language_switch_translates_the_page() -> None:
    english = page_app("manifold_grid", dataset=DATASET, language="en").run()
    polish = page_app("manifold_grid", dataset=DATASET, language="pl").run()

    assert english.title[0].value == "Manifold grid"
    assert polish.title[0].value == "Siatka rozmaitości"
    assert english.slider(key="manifold_grid.steps").label != (
        polish.slider(key="manifold_grid.steps").label
    )
