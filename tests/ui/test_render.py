"""PNG and GIF bytes, image grids: crisp nearest-neighbour pixels of the right size."""

from __future__ import annotations

import io

import numpy as np
import pytest
import torch
from PIL import Image

from ui.render import gif_bytes, grid_array, images_png, png_bytes, to_uint8


def test_to_uint8_clamps_and_rounds() -> None:
    pixels = to_uint8(torch.tensor([[-0.5, 0.0, 0.5, 1.0, 1.5]]))

    np.testing.assert_array_equal(pixels, [[0, 0, 128, 255, 255]])


@pytest.mark.parametrize("scale", [1, 3])
def test_png_is_a_nearest_neighbour_upscale(scale: int) -> None:
    pixels = np.array([[0, 255], [128, 64]], dtype=np.uint8)

    image = Image.open(io.BytesIO(png_bytes(pixels, scale)))

    assert image.format == "PNG" and image.size == (2 * scale, 2 * scale)
    upscaled = np.asarray(image)
    np.testing.assert_array_equal(upscaled, np.kron(pixels, np.ones((scale, scale), np.uint8)))


def test_grid_tiles_images_row_by_row() -> None:
    images = torch.zeros(6, 1, 28, 28)
    images[1] = 1.0

    grid = grid_array(images, columns=3, padding=0)

    assert grid.shape == (56, 84)
    assert grid[:28, 28:56].min() == 255 and grid[:28, :28].max() == 0
    assert grid[28:].max() == 0


def test_images_png_has_padding_between_tiles() -> None:
    data = images_png(torch.zeros(4, 1, 28, 28), columns=2, scale=1, padding=2)

    assert Image.open(io.BytesIO(data)).size == (2 + 2 * (28 + 2), 2 + 2 * (28 + 2))


def test_gif_has_one_frame_per_array_and_loops() -> None:
    frames = [np.full((4, 5), value, dtype=np.uint8) for value in (0, 100, 200)]

    image = Image.open(io.BytesIO(gif_bytes(frames, scale=2)))

    assert image.format == "GIF" and image.n_frames == 3
    assert image.size == (10, 8)
    assert image.info.get("loop") == 0
