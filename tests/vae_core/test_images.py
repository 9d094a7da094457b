"""The one validated path from user image bytes to a model-ready tensor.

Every file here is written by the test itself with Pillow: a light rectangle (the "object")
on a dark background, in many formats and modes. Whatever the encoding, the result must match
the plain 8-bit PNG of the same picture.
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
import torch
from PIL import Image

from vae_core.images import (
    FRAMINGS,
    MAX_IMAGE_BYTES,
    MAX_IMAGE_PIXELS,
    OUTPUT_SIZE,
    ImageInputError,
    image_from_bytes,
    image_from_canvas,
)

SIDE = 64
# an off-centre rectangle, taller than wide, so framing and rotation both show
TOP, BOTTOM, LEFT, RIGHT = 10, 46, 14, 32
LIGHT, DARK = 230, 20
DATASETS = tuple(FRAMINGS)
# lossless encodings must match the reference closely; lossy ones (JPEG, WebP) less so
LOSSLESS_TOLERANCE = 0.02
LOSSY_TOLERANCE = 0.06
# zlib's checksum, the data chunk's CRC and the 12-byte end chunk hold no pixels
PNG_TRAILER_BYTES = 4 + 4 + 12


def rectangle_grey(light: int = LIGHT, dark: int = DARK, side: int = SIDE) -> np.ndarray:
    """uint8 ``(side, side)``: a ``light`` rectangle on a ``dark`` background."""
    grey = np.full((side, side), dark, dtype=np.uint8)
    grey[TOP:BOTTOM, LEFT:RIGHT] = light
    return grey


def encode(image: Image.Image, file_format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=file_format, **options)
    return buffer.getvalue()


def reference(dataset: str) -> torch.Tensor:
    return image_from_bytes(encode(Image.fromarray(rectangle_grey()), "PNG"), dataset)


def mean_difference(first: torch.Tensor, second: torch.Tensor) -> float:
    return (first - second).abs().mean().item()


def rgba_rectangle(colour: tuple[int, int, int], *, side: int = SIDE) -> np.ndarray:
    """A ``colour`` rectangle on a fully transparent background ``(side, side, 4)``."""
    rgba = np.zeros((side, side, 4), dtype=np.uint8)
    rgba[TOP:BOTTOM, LEFT:RIGHT, :3] = colour
    rgba[TOP:BOTTOM, LEFT:RIGHT, 3] = 255
    return rgba


def sixteen_bit(grey: np.ndarray) -> Image.Image:
    return Image.fromarray(grey.astype(np.uint16) * 257)


def palette_with_transparency() -> Image.Image:
    """A palette image whose background index is transparent and whose object is black."""
    image = Image.fromarray(np.where(rectangle_grey() == LIGHT, 1, 0).astype(np.uint8), mode="P")
    image.putpalette([255, 255, 255, 0, 0, 0] + [0, 0, 0] * 254)
    image.info["transparency"] = 0
    return image


def cmyk(grey: np.ndarray) -> Image.Image:
    return Image.fromarray(grey).convert("RGB").convert("CMYK")


# (name, a function that builds the file's bytes, tolerance)
SAMPLES = [
    ("png-L", lambda: encode(Image.fromarray(rectangle_grey()), "PNG"), LOSSLESS_TOLERANCE),
    ("png-1", lambda: encode(Image.fromarray(rectangle_grey(255, 0) > 0), "PNG"), 0.05),
    ("png-LA", lambda: encode(Image.fromarray(rectangle_grey()).convert("LA"), "PNG"), 0.02),
    ("png-RGB", lambda: encode(Image.fromarray(rectangle_grey()).convert("RGB"), "PNG"), 0.02),
    ("png-RGBA", lambda: encode(Image.fromarray(rgba_rectangle((LIGHT,) * 3)), "PNG"), 0.05),
    ("png-P", lambda: encode(Image.fromarray(rectangle_grey()).convert("P"), "PNG"), 0.02),
    ("png-P-transparent", lambda: encode(palette_with_transparency(), "PNG"), 0.05),
    ("png-I;16", lambda: encode(sixteen_bit(rectangle_grey()), "PNG"), LOSSLESS_TOLERANCE),
    ("jpeg-L", lambda: encode(Image.fromarray(rectangle_grey()), "JPEG"), LOSSY_TOLERANCE),
    ("jpeg-RGB", lambda: encode(Image.fromarray(rectangle_grey()).convert("RGB"), "JPEG"), 0.06),
    ("jpeg-CMYK", lambda: encode(cmyk(rectangle_grey()), "JPEG"), LOSSY_TOLERANCE),
    ("gif-P", lambda: encode(Image.fromarray(rectangle_grey()), "GIF"), LOSSLESS_TOLERANCE),
    ("bmp-RGB", lambda: encode(Image.fromarray(rectangle_grey()).convert("RGB"), "BMP"), 0.02),
    ("webp-RGB", lambda: encode(Image.fromarray(rectangle_grey()).convert("RGB"), "WEBP"), 0.06),
    ("webp-RGBA", lambda: encode(Image.fromarray(rgba_rectangle((LIGHT,) * 3)), "WEBP"), 0.06),
    ("tiff-L", lambda: encode(Image.fromarray(rectangle_grey()), "TIFF"), LOSSLESS_TOLERANCE),
    ("tiff-I;16", lambda: encode(sixteen_bit(rectangle_grey()), "TIFF"), LOSSLESS_TOLERANCE),
    ("tiff-F", lambda: encode(Image.fromarray(rectangle_grey().astype(np.float32)), "TIFF"), 0.02),
    ("tiff-CMYK", lambda: encode(cmyk(rectangle_grey()), "TIFF"), LOSSLESS_TOLERANCE),
]


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize(("name", "make_bytes", "tolerance"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_every_format_and_mode_gives_the_reference_image(
    name: str, make_bytes, tolerance: float, dataset: str
) -> None:
    x = image_from_bytes(make_bytes(), dataset)

    assert x.shape == (1, 1, OUTPUT_SIZE, OUTPUT_SIZE)
    assert x.dtype == torch.float32
    assert x.min().item() >= 0 and x.max().item() <= 1
    assert mean_difference(x, reference(dataset)) < tolerance, name


def test_fashion_framing_fits_the_longest_side_to_the_frame_and_centres_the_box() -> None:
    x = reference("fashion-mnist")[0, 0]

    rows = np.flatnonzero((x > 0.5).any(dim=1).numpy())
    columns = np.flatnonzero((x > 0.5).any(dim=0).numpy())
    # the rectangle is 36 tall and 18 wide: 28 tall and 14 wide once fitted
    assert rows[0] == 0 and rows[-1] == OUTPUT_SIZE - 1
    assert columns[-1] - columns[0] + 1 == pytest.approx(14, abs=1)
    assert (columns[0] + columns[-1]) / 2 == pytest.approx((OUTPUT_SIZE - 1) / 2, abs=1)


def test_mnist_framing_fits_20_pixels_and_centres_the_mass() -> None:
    x = reference("mnist")[0, 0]

    rows = np.flatnonzero((x > 0.5).any(dim=1).numpy())
    mass_row = (torch.arange(OUTPUT_SIZE).unsqueeze(1) * x).sum() / x.sum()
    mass_column = (torch.arange(OUTPUT_SIZE).unsqueeze(0) * x).sum() / x.sum()
    assert rows[-1] - rows[0] + 1 == FRAMINGS["mnist"].box
    assert mass_row.item() == pytest.approx((OUTPUT_SIZE - 1) / 2, abs=0.5)
    assert mass_column.item() == pytest.approx((OUTPUT_SIZE - 1) / 2, abs=0.5)


@pytest.mark.parametrize("dataset", DATASETS)
def test_dark_on_light_is_inverted_to_light_on_dark(dataset: str) -> None:
    dark_on_light = rectangle_grey(light=DARK, dark=LIGHT)

    x = image_from_bytes(encode(Image.fromarray(dark_on_light), "PNG"), dataset)

    assert mean_difference(x, reference(dataset)) < LOSSLESS_TOLERANCE


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("colour", [(0, 0, 0), (255, 255, 255), (200, 30, 30)])
def test_strokes_on_a_transparent_background_survive_in_any_colour(
    colour: tuple[int, int, int], dataset: str
) -> None:
    data = encode(Image.fromarray(rgba_rectangle(colour)), "PNG")

    x = image_from_bytes(data, dataset)

    assert mean_difference(x, reference(dataset)) < 0.05


def test_exif_orientation_is_applied() -> None:
    image = Image.fromarray(rectangle_grey())
    exif = Image.Exif()
    # orientation 6: the camera was turned, the picture must be rotated 90 degrees clockwise
    exif[0x0112] = 6
    data = encode(image, "JPEG", exif=exif.tobytes(), quality=95)
    upright = image.transpose(Image.Transpose.ROTATE_270)

    x = image_from_bytes(data, "fashion-mnist")

    expected = image_from_bytes(encode(upright, "PNG"), "fashion-mnist")
    assert mean_difference(x, expected) < LOSSY_TOLERANCE
    assert mean_difference(x, reference("fashion-mnist")) > 4 * LOSSY_TOLERANCE


def test_an_animation_uses_its_first_frame() -> None:
    first = Image.fromarray(rectangle_grey())
    second = Image.fromarray(rectangle_grey().T.copy())
    buffer = io.BytesIO()
    first.save(buffer, format="GIF", save_all=True, append_images=[second], duration=100, loop=0)

    x = image_from_bytes(buffer.getvalue(), "fashion-mnist")

    assert mean_difference(x, reference("fashion-mnist")) < LOSSLESS_TOLERANCE


def test_a_large_photo_is_reduced_and_gives_the_same_picture() -> None:
    scale = 40
    large = np.kron(rectangle_grey(), np.ones((scale, scale), dtype=np.uint8))

    x = image_from_bytes(encode(Image.fromarray(large), "PNG"), "fashion-mnist")

    assert mean_difference(x, reference("fashion-mnist")) < LOSSLESS_TOLERANCE


def png_with_header(width: int, height: int) -> bytes:
    """A PNG whose header announces ``width x height`` but whose data is a few bytes."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + payload))
        return struct.pack(">I", len(payload)) + kind + payload + checksum

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("side", "code"),
    [
        # more than our cap, less than Pillow's own bomb limit: our header check stops it
        (6000, "too_many_pixels"),
        # far beyond Pillow's limit: Pillow's DecompressionBombError becomes ours
        (100_000, "bomb"),
    ],
)
def test_a_decompression_bomb_header_is_refused_before_decoding(side: int, code: str) -> None:
    assert side * side > MAX_IMAGE_PIXELS

    with pytest.raises(ImageInputError) as caught:
        image_from_bytes(png_with_header(side, side), "fashion-mnist")

    assert caught.value.code == code


def test_too_many_bytes_are_refused_before_opening() -> None:
    with pytest.raises(ImageInputError) as caught:
        image_from_bytes(b"\x00" * (MAX_IMAGE_BYTES + 1), "mnist")

    assert caught.value.code == "too_large"
    assert "10 MB" in str(caught.value)


def test_empty_bytes_are_refused() -> None:
    with pytest.raises(ImageInputError) as caught:
        image_from_bytes(b"", "mnist")

    assert caught.value.code == "empty"


@pytest.mark.parametrize("seed", range(5))
def test_random_bytes_are_not_an_image(seed: int) -> None:
    data = np.random.default_rng(seed).integers(0, 256, size=2000, dtype=np.uint8).tobytes()

    with pytest.raises(ImageInputError) as caught:
        image_from_bytes(data, "mnist")

    assert caught.value.code == "not_an_image"


def test_a_png_truncated_at_every_byte_gives_the_one_error_or_the_whole_picture() -> None:
    data = encode(Image.fromarray(rectangle_grey()), "PNG")
    whole = image_from_bytes(data, "mnist")
    accepted = []

    for end in range(len(data)):
        try:
            x = image_from_bytes(data[:end], "mnist")
        except ImageInputError as error:
            assert error.code in {"empty", "not_an_image", "corrupt"}, end
        else:
            # only a cut after the last pixel (checksums, the end chunk) may pass unnoticed
            assert torch.equal(x, whole), f"cut at {end} of {len(data)} bytes"
            accepted.append(end)
    assert len(accepted) <= PNG_TRAILER_BYTES


@pytest.mark.parametrize("file_format", ["JPEG", "GIF", "BMP", "WEBP", "TIFF"])
@pytest.mark.filterwarnings("ignore:Corrupt EXIF data:UserWarning")
def test_other_formats_truncated_give_the_one_error(file_format: str) -> None:
    data = encode(Image.fromarray(rectangle_grey()).convert("RGB"), file_format)

    for end in (1, 8, 20, len(data) // 2, len(data) - 16):
        with pytest.raises(ImageInputError):
            image_from_bytes(data[:end], "mnist")


def test_a_zero_size_header_is_refused() -> None:
    with pytest.raises(ImageInputError) as caught:
        image_from_bytes(png_with_header(0, 10), "mnist")

    assert caught.value.code in {"zero_size", "not_an_image"}


@pytest.mark.parametrize(
    "image",
    [
        Image.new("L", (SIDE, SIDE), 0),
        Image.new("L", (SIDE, SIDE), 255),
        Image.new("RGB", (SIDE, SIDE), (120, 90, 60)),
        Image.new("RGBA", (SIDE, SIDE), (0, 0, 0, 0)),
        # contrast below the threshold: a faint smudge is not a drawing
        Image.fromarray(rectangle_grey(light=110, dark=105)),
    ],
    ids=["black", "white", "brown", "transparent", "faint"],
)
def test_a_blank_image_is_refused(image: Image.Image) -> None:
    with pytest.raises(ImageInputError) as caught:
        image_from_bytes(encode(image, "PNG"), "fashion-mnist")

    assert caught.value.code == "blank"


@pytest.mark.parametrize("dataset", DATASETS)
def test_a_canvas_array_goes_through_the_same_path(dataset: str) -> None:
    x = image_from_canvas(rgba_rectangle((255, 255, 255)), dataset)

    expected = image_from_bytes(encode(Image.fromarray(rgba_rectangle((255,) * 3)), "PNG"), dataset)
    assert torch.equal(x, expected)


@pytest.mark.parametrize(
    "array",
    [
        np.zeros((SIDE, SIDE, 3), dtype=np.uint8),
        np.zeros((SIDE, SIDE, 4), dtype=np.float32),
        np.zeros((SIDE, SIDE), dtype=np.uint8),
    ],
    ids=["rgb", "float", "grey"],
)
def test_a_canvas_that_is_not_rgba_uint8_is_refused(array: np.ndarray) -> None:
    with pytest.raises(ImageInputError) as caught:
        image_from_canvas(array, "mnist")

    assert caught.value.code == "bad_canvas"


def test_an_empty_canvas_is_refused() -> None:
    with pytest.raises(ImageInputError) as caught:
        image_from_canvas(np.zeros((SIDE, SIDE, 4), dtype=np.uint8), "mnist")

    assert caught.value.code == "blank"


def test_a_zero_size_canvas_is_refused() -> None:
    with pytest.raises(ImageInputError) as caught:
        image_from_canvas(np.zeros((0, SIDE, 4), dtype=np.uint8), "mnist")

    assert caught.value.code == "zero_size"


def test_an_unknown_data_set_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown data set"):
        image_from_bytes(encode(Image.fromarray(rectangle_grey()), "PNG"), "cifar")


def test_the_error_carries_the_values_its_message_names() -> None:
    with pytest.raises(ImageInputError) as caught:
        image_from_bytes(png_with_header(6000, 5000), "mnist")

    assert caught.value.details == {"width": 6000, "height": 5000, "limit_mp": 25}
    assert "6000 x 5000" in str(caught.value)
