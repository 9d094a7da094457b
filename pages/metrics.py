"""Metrics: how continuous and how complete each latent space is, measured and ready to export.

Every number comes from the metrics cache that ``python -m vae_core.metrics build-cache`` wrote
for the shipped checkpoints, so the page appears at once. A model whose file no longer matches
the cache is left out with a warning instead of being shown with another model's figures.
"""

import plotly.graph_objects as go
import streamlit as st

from ui.i18n import t
from ui.metrics_tables import (
    KINDS,
    LADDER_DATASET,
    LADDER_LATENT_DIM,
    Table,
    ladder_series,
    ladder_stems,
    ladder_table,
    pair_table,
    stamp,
)
from ui.models import ModelPair, model_pair, registry
from ui.numbers import localise_cells
from ui.overlays import (
    REBUILD_COMMAND,
    CacheView,
    add_map_overlay,
    cache_view,
    model_maps,
    overlay_note,
)
from ui.render import show_chart, show_model_problem, style_plane
from ui.shell import ensure_app_shell
from ui.state import MetricsState, Selection, current, language, widget_key
from vae_core.gap_maps import MAP_NAMES, PlaneMaps
from vae_core.metrics_cache import figures_csv, figures_latex

PERCENT = 100
ROW_HEIGHT = 35
TABLE_BORDER = 3
MAP_HEIGHT = 360
LADDER_MAP_HEIGHT = 260
GAP_COLOUR = "#E45756"


def show_table(table: Table, with_meanings: bool) -> None:
    """A table of strings, each row with its one-line meaning when asked."""
    rows = localise_cells(table.rows, language())
    data = {title: [row[index] for row in rows] for index, title in enumerate(table.header)}
    if with_meanings:
        data[t("metrics.column.meaning")] = table.meanings
    # tall enough for every row: a thesis table is read whole, not scrolled
    height = (len(table.rows) + 1) * ROW_HEIGHT + TABLE_BORDER
    st.dataframe(data, hide_index=True, height=height)


def exports(table: Table, caption: str, label: str, file_stem: str) -> None:
    """CSV and LaTeX downloads of a table; the LaTeX carries ``caption`` and can be previewed.

    The LaTeX writes numbers the page's way, for a thesis in that language; the CSV keeps
    decimal points, so that any program reads it the same way.
    """
    csv_rows = [[*row, meaning] for row, meaning in zip(table.rows, table.meanings, strict=False)]
    csv_header = [*table.header, t("metrics.column.meaning")] if table.meanings else table.header
    csv_text = figures_csv(csv_header, csv_rows if table.meanings else table.rows)
    latex = figures_latex(table.header, localise_cells(table.rows, language()), caption, label)
    csv_column, latex_column = st.columns(2)
    with csv_column:
        st.download_button(
            t("metrics.download_csv"),
            csv_text,
            f"{file_stem}.csv",
            "text/csv",
            key=f"metrics.csv.{file_stem}",
            on_click="ignore",
        )
    with latex_column:
        st.download_button(
            t("metrics.download_latex"),
            latex,
            f"{file_stem}.tex",
            "text/x-tex",
            key=f"metrics.tex.{file_stem}",
            on_click="ignore",
        )
    with st.expander(t("metrics.latex_preview")):
        st.code(latex, language="latex")


def usable(view: CacheView, stem: str) -> bool:
    """Whether the cache holds current figures for a checkpoint."""
    return stem in view.current


def explain_missing(view: CacheView, pair: ModelPair) -> dict[str, str | None]:
    """Warn about each side that has no current figures; return the stems that do."""
    stems: dict[str, str | None] = {}
    for slot in pair.slots:
        stems[slot.kind] = slot.name if usable(view, slot.name) else None
        if slot.loaded is None:
            show_model_problem(slot)
        elif stems[slot.kind] is None:
            reason = view.stale.get(slot.name, t("metrics.not_cached"))
            st.warning(t("overlay.stale", name=slot.name, reason=reason, command=REBUILD_COMMAND))
    return stems


def show_reading(view: CacheView, stems: dict[str, str | None], dataset: str) -> None:
    """The comparison in one sentence, computed from the cached figures, and the ceiling."""
    assert view.cache is not None
    ceiling = view.cache.document["datasets"][dataset]
    judge_test = ceiling["judge"]["test"]
    st.markdown(
        t(
            "metrics.ceiling",
            validity=ceiling["ceiling"]["validity"] * PERCENT,
            coverage=ceiling["ceiling"]["coverage_bits"],
            accuracy=judge_test["accuracy"] * PERCENT,
            images=ceiling["test_data"]["images"],
            threshold=view.cache.settings.threshold,
        )
    )
    if stems["ae"] and stems["vae"]:
        figures = {kind: view.cache.models[stems[kind]]["figures"] for kind in KINDS}
        st.markdown(
            t(
                "metrics.reading",
                vae=figures["vae"]["own"]["validity.prior"] * PERCENT,
                ae=figures["ae"]["own"]["validity.prior"] * PERCENT,
                ae_fitted=figures["ae"]["own"]["validity.fitted"] * PERCENT,
                vae_coverage=figures["vae"]["own"]["coverage_bits.prior"],
                ae_coverage=figures["ae"]["own"]["coverage_bits.prior"],
                vae_jump=figures["vae"]["own"]["jump_ratio.lerp"],
                ae_jump=figures["ae"]["own"]["jump_ratio.lerp"],
            )
        )


def pair_section(view: CacheView, selection: Selection) -> None:
    """Every figure of the selected AE/VAE pair, in both frames, with exports."""
    assert view.cache is not None
    pair = model_pair(selection)
    stems = explain_missing(view, pair)
    if not any(stems.values()):
        return
    show_reading(view, stems, selection.dataset)
    table = pair_table(view.cache, stems)
    show_table(table, with_meanings=True)
    st.caption(t("metrics.frames_note"))
    dataset_name = t(f"dataset.{selection.dataset}")
    caption = t("metrics.caption_pair", dataset=dataset_name, latent_dim=selection.latent_dim)
    caption += " " + stamp(view.cache, [stem for stem in stems.values() if stem], selection.dataset)
    file_stem = f"metrics-{selection.dataset}-z{selection.latent_dim}"
    if selection.beta != 1.0:
        file_stem += f"-beta{selection.beta:g}"
    exports(table, caption, f"tab:{file_stem}", file_stem)


def trade_off_figures(series: dict[str, list[float]]) -> tuple[go.Figure, go.Figure]:
    """Reconstruction against KL (one point per beta), and validity and jump ratio over beta."""
    labels = [f"β = {beta:g}" for beta in series["beta"]]
    rate = go.Figure(
        go.Scatter(
            x=series["kl_loss"],
            y=series["recon_loss"],
            mode="lines+markers+text",
            text=labels,
            textposition="top center",
            cliponaxis=False,
            name=t("metrics.loss.recon_loss"),
        )
    )
    rate.update_layout(
        xaxis_title=t("metrics.loss.kl_loss"), yaxis_title=t("metrics.loss.recon_loss")
    )
    regularity = go.Figure()
    validity = [value * PERCENT for value in series["validity.prior"]]
    regularity.add_trace(
        go.Scatter(
            x=series["beta"], y=validity, mode="lines+markers", name=t("metrics.figure.validity")
        )
    )
    regularity.add_trace(
        go.Scatter(
            x=series["beta"],
            y=series["jump_ratio.lerp"],
            mode="lines+markers",
            name=t("metrics.figure.jump_ratio"),
            yaxis="y2",
        )
    )
    regularity.update_layout(
        xaxis={"title": "β", "type": "log", "tickvals": series["beta"]},
        yaxis={"title": t("metrics.figure.validity")},
        yaxis2={"title": t("metrics.figure.jump_ratio"), "overlaying": "y", "side": "right"},
        legend={"orientation": "h", "y": -0.25},
    )
    for figure in (rate, regularity):
        figure.update_layout(height=MAP_HEIGHT, margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return rate, regularity


def map_choice(field: str) -> str:
    """A row of radio buttons choosing a cached map, kept in ``MetricsState.<field>``."""
    name = st.radio(
        t("overlay.label"),
        MAP_NAMES,
        key=widget_key(MetricsState, field),
        horizontal=True,
        format_func=lambda value: t(f"overlay.{value}"),
    )
    overlay_note(name)
    return str(name)


def ladder_maps(view: CacheView, stems: list[str]) -> None:
    """One small map per beta, of the kind chosen above them."""
    assert view.cache is not None
    name = map_choice("ladder_map")
    for column, stem in zip(st.columns(len(stems)), stems, strict=True):
        with column:
            beta = float(view.cache.models[stem].get("beta") or 1.0)
            st.markdown(f"β = {beta:g}")
            if stem in view.cache.maps:
                figure = go.Figure()
                add_map_overlay(figure, view.cache.maps[stem], name)
                figure.update_traces(showscale=False)
                figure.update_layout(
                    height=LADDER_MAP_HEIGHT, margin={"l": 0, "r": 0, "t": 0, "b": 0}
                )
                show_chart(figure, f"{stem}-{name}", key=f"metrics.ladder.{stem}")


def is_ladder_model(stem: str) -> bool:
    """Whether a checkpoint of the folder is a 2-D Fashion-MNIST VAE (a rung of the ladder)."""
    loaded = registry().models.get(stem)
    if loaded is None:
        return False
    shape = (loaded.model.kind, loaded.metadata.get("dataset"), loaded.model.latent_dim)
    return shape == ("vae", LADDER_DATASET, LADDER_LATENT_DIM)


def ladder_section(view: CacheView) -> None:
    """The beta ladder: the same figures across beta, the trade-off plot and the maps."""
    assert view.cache is not None
    stems = ladder_stems(view.cache, set(view.current))
    st.caption(t("metrics.ladder_intro"))
    for stem, reason in view.stale.items():
        if is_ladder_model(stem):
            st.warning(t("overlay.stale", name=stem, reason=reason, command=REBUILD_COMMAND))
    if len(stems) < 2:
        st.info(t("metrics.ladder_missing"))
        return
    table = ladder_table(view.cache, stems)
    show_table(table, with_meanings=False)
    caption = t("metrics.caption_ladder") + " " + stamp(view.cache, stems, LADDER_DATASET)
    exports(table, caption, "tab:metrics-beta-ladder", "metrics-beta-ladder")
    rate, regularity = trade_off_figures(ladder_series(view.cache, stems))
    left, right = st.columns(2)
    with left:
        show_chart(rate, "beta-ladder-rate", key="metrics.ladder.rate")
    with right:
        show_chart(regularity, "beta-ladder-validity", key="metrics.ladder.regularity")
    ladder_maps(view, stems)


def map_figure(maps: PlaneMaps, name: str) -> go.Figure:
    """A cached map with the region searched for the largest gap and the gap itself."""
    figure = go.Figure()
    add_map_overlay(figure, maps, name)
    hull = maps.hull.tolist()
    outline = [*hull, hull[0]] if hull else []
    figure.add_trace(
        go.Scatter(
            x=[point[0] for point in outline],
            y=[point[1] for point in outline],
            mode="lines",
            name=t("metrics.hull"),
            line={"dash": "dash", "color": GAP_COLOUR, "width": 1},
            hoverinfo="skip",
        )
    )
    gap = maps.gap.tolist()
    figure.add_trace(
        go.Scatter(
            x=[gap[0]],
            y=[gap[1]],
            mode="markers",
            name=t("metrics.gap_marker", score=maps.gap_score),
            marker={"symbol": "x", "size": 14, "color": GAP_COLOUR},
        )
    )
    axis = (t("latent.axis_z", number=1), t("latent.axis_z", number=2))
    return style_plane(figure, *axis, MAP_HEIGHT)


def maps_section(view: CacheView, selection: Selection) -> None:
    """The pair's cached maps side by side, each with its largest gap marked."""
    if selection.latent_dim != 2:
        st.info(t("metrics.maps_2d_only"))
        return
    name = map_choice("map_name")
    pair = model_pair(selection)
    for column, slot in zip(st.columns(2, gap="medium"), pair.slots, strict=True):
        with column:
            st.markdown(f"**{t(f'kind.{slot.kind}')}** · `{slot.name}`")
            maps, problem = model_maps(view, slot)
            if maps is None:
                st.info(problem)
                continue
            figure = map_figure(maps, name)
            show_chart(figure, f"{slot.name}-{name}", key=f"metrics.map.{slot.kind}")
    st.caption(t("metrics.gap_rule"))


def about_section(view: CacheView) -> None:
    """How the figures were made: judge, settings, seeds, when, and how to rebuild them."""
    assert view.cache is not None
    document, settings = view.cache.document, view.cache.settings
    st.markdown(
        t(
            "metrics.about",
            threshold=settings.threshold,
            quantile=round(settings.hole_quantile * PERCENT),
        )
    )
    st.markdown(
        t(
            "metrics.settings",
            samples=settings.samples,
            pairs=settings.pairs,
            steps=settings.path_steps,
            sensitivity_pairs=settings.sensitivity_pairs,
            map_steps=settings.map_steps,
            seed=settings.seed,
            created=document["created"],
            seconds=document.get("seconds", 0),
        )
    )
    for dataset, entry in sorted(document["datasets"].items()):
        judge = entry["judge"]
        st.markdown(
            t(
                "metrics.judge_line",
                dataset=t(f"dataset.{dataset}"),
                file=judge["file"],
                accuracy=judge["test"]["accuracy"] * PERCENT,
                epochs=judge["epochs"],
                seed=judge["seed"],
            )
        )
    st.code(REBUILD_COMMAND, language="bash")


def main() -> None:
    selection = current(Selection)
    current(MetricsState)
    st.title(t("metrics.title"))
    st.caption(t("metrics.intro"))
    view = cache_view()
    if view.cache is None:
        st.warning(t("overlay.no_cache", reason=view.problem, command=REBUILD_COMMAND))
        return
    pair_tab, ladder_tab, maps_tab, about_tab = st.tabs(
        [
            t("metrics.tab.pair"),
            t("metrics.tab.ladder"),
            t("metrics.tab.maps"),
            t("metrics.tab.about"),
        ]
    )
    with pair_tab:
        pair_section(view, selection)
    with ladder_tab:
        ladder_section(view)
    with maps_tab:
        maps_section(view, selection)
    with about_tab:
        about_section(view)


ensure_app_shell()
main()
