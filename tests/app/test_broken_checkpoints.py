"""A missing or broken file gives a clear message on the page; everything else keeps working."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import PAGES, ROOT, page_app

SHIPPED = ROOT / "checkpoints"
DATASET = "mnist"
AE_FILE = "mnist-ae-z2.safetensors"
VAE_FILE = "mnist-vae-z2.safetensors"


@pytest.fixture
def checkpoint_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the MNIST pair and the bundled test images that the app reads instead."""
    shutil.copytree(SHIPPED / "data", tmp_path / "data")
    for name in (AE_FILE, VAE_FILE):
        shutil.copy(SHIPPED / name, tmp_path / name)
    monkeypatch.setenv("LSE_CHECKPOINTS", str(tmp_path))
    return tmp_path


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def chart_and_image_count(app: AppTest) -> int:
    return len(app.get("plotly_chart")) + len(app.get("image"))


@pytest.mark.parametrize("page", PAGES)
def test_broken_vae_is_explained_and_the_ae_still_renders(checkpoint_copy: Path, page: str) -> None:
    truncate(checkpoint_copy / VAE_FILE)

    app = page_app(page, dataset=DATASET).run()

    assert not app.exception
    errors = [item.value for item in app.error if VAE_FILE in item.value]
    assert errors, "the page must name the broken file"
    assert all("safetensors" in error for error in errors)
    assert chart_and_image_count(app) > 0
    assert any("`mnist-ae-z2`" in item.value for item in app.markdown)


@pytest.mark.parametrize("page", ["latent_map", "sampling"])
def test_missing_ae_is_explained_and_the_vae_still_renders(
    checkpoint_copy: Path, page: str
) -> None:
    (checkpoint_copy / AE_FILE).unlink()

    app = page_app(page, dataset=DATASET).run()

    assert not app.exception
    assert any(AE_FILE in item.value for item in app.warning)
    assert chart_and_image_count(app) > 0


def test_corrupt_checkpoint_reason_is_shown(checkpoint_copy: Path) -> None:
    (checkpoint_copy / VAE_FILE).write_bytes(b"not a checkpoint at all")

    app = page_app("sampling", dataset=DATASET).run()

    messages = [item.value for item in app.error]
    assert len(messages) == 1
    assert VAE_FILE in messages[0] and "not a readable safetensors file" in messages[0]


@pytest.mark.parametrize("page", PAGES[1:])
def test_broken_test_images_give_one_message(checkpoint_copy: Path, page: str) -> None:
    truncate(checkpoint_copy / "data" / f"{DATASET}-test.safetensors")

    app = page_app(page, dataset=DATASET).run()

    assert not app.exception
    assert [item.value for item in app.error if f"{DATASET}-test.safetensors" in item.value]
