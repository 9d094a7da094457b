"""The one path from a user's image (an upload or a canvas drawing) to a model-ready tensor.

Every user image, whatever its format, goes through the same steps, so the models always see
something that looks like their training data (a light object on a black background):

1. Guards: the byte count is capped, the pixel count is read from the header and capped
   before anything is decoded, and Pillow's decompression-bomb error is turned into ours.
2. Decoding: the first frame of an animation, turned upright by its EXIF orientation, and
   reduced to a working size so a large photo costs little memory.
3. Grey levels: colour becomes luminance (ITU-R 601-2, as Pillow's ``"L"``); 16-bit images
   are scaled by their type's range, 32-bit and float images by their own range.
4. Transparency: transparent pixels are background. They are composited onto the backdrop
   that contrasts with the visible content (white behind dark strokes, black behind light
   ones), so both a black pen on a transparent canvas and a white logo survive.
5. Polarity: the training images are light on dark. When the median of the border ring is
   light (a photo of a drawing on paper, a scan), the image is inverted.
6. Contrast: the border median is taken as the background level and subtracted, and the
   brightest pixel is scaled to 1. When nothing stands out from the background by at least
   :data:`BLANK_CONTRAST`, the image is blank and rejected.
7. Framing, as the data set was made: MNIST fits the content's bounding box into 20 x 20 and
   centres its centre of mass in 28 x 28 (LeCun et al., "The MNIST database"); Fashion-MNIST
   fits the longest side to 28 and centres the box (Xiao et al. 2017, section 2).

Any failure raises :class:`ImageInputError`, whose ``code`` and ``details`` let a page show
one clear, translated message.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import torch
from PIL import Image, ImageOps

MAX_IMAGE_BYTES = 10 * 1024 * 1024
# a 24-megapixel photo fits; a decompression bomb's header announces far more
MAX_IMAGE_PIXELS = 25_000_000
# images are reduced to at most this side before any float work
WORKING_SIZE = 512
OUTPUT_SIZE = 28
# share of the shorter side that forms the border ring used to find the background
BORDER_SHARE = 0.05
# content must stand out from the background by 5 % of the full range, as in Fashion-MNIST's trim
BLANK_CONTRAST = 0.05
# pixels above this level (after contrast stretching) count as content when cropping
CONTENT_LEVEL = 0.05
LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114], dtype=np.float32)
SIXTEEN_BIT_MODES = ("I;16", "I;16L", "I;16B", "I;16N")
OWN_RANGE_MODES = ("I", "F")
PALETTE_MODES = ("1", "P", "PA")
UINT8_MAX = 255.0
UINT16_MAX = 65535.0
RGBA_CHANNELS = 4


# every reason an image can be refused for; pages translate each one
ERROR_CODES = (
    "empty",
    "too_large",
    "bomb",
    "too_many_pixels",
    "zero_size",
    "not_an_image",
    "corrupt",
    "unsupported_mode",
    "blank",
    "bad_canvas",
)


class ImageInputError(ValueError):
    """A user image that cannot be used; ``str(error)`` is a sentence a page can show.

    Args:
        code: One of :data:`ERROR_CODES`; pages use it to look up a translated message.
        message: The English message.
        details: Values the message mentions (sizes, limits), for translated messages.
    """

    def __init__(self, code: str, message: str, **details: Any) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown image error code {code!r}")
        super().__init__(message)
        self.code = code
        self.details = details


@dataclass(frozen=True)
class Framing:
    """How a data set placed its objects in the 28 x 28 frame.

    Args:
        box: Side of the square the content's bounding box is fitted into.
        centre: ``"mass"`` puts the centre of mass in the middle of the frame; ``"box"``
            centres the bounding box.
    """

    box: int
    centre: Literal["mass", "box"]


FRAMINGS: dict[str, Framing] = {
    "mnist": Framing(box=20, centre="mass"),
    "fashion-mnist": Framing(box=OUTPUT_SIZE, centre="box"),
}


def image_from_bytes(data: bytes, dataset: str) -> torch.Tensor:
    """Turn the bytes of an image file into a model-ready image.

    Args:
        data: The file's bytes (PNG, JPEG, GIF, BMP, WebP, TIFF, ...).
        dataset: The data set whose framing to copy, a key of :data:`FRAMINGS`.

    Returns:
        An image ``(1, 1, 28, 28)``, float32 in [0, 1], light content on black.

    Raises:
        ImageInputError: If the bytes are empty, too many, not an image, damaged, too large
            in pixels, or show nothing but background.
    """
    framing = _framing(dataset)
    image = _open_checked(data)
    luminance, alpha = _grey_levels(image)
    return _finish(_composite(luminance, alpha), framing)


def image_from_canvas(rgba: np.ndarray, dataset: str) -> torch.Tensor:
    """Turn a canvas drawing (an RGBA pixel array) into a model-ready image.

    Args:
        rgba: Pixels ``(height, width, 4)``, uint8, as a browser canvas gives them.
        dataset: The data set whose framing to copy, a key of :data:`FRAMINGS`.

    Returns:
        An image ``(1, 1, 28, 28)``, float32 in [0, 1].

    Raises:
        ImageInputError: If the array is not an RGBA image or the canvas is blank.
    """
    framing = _framing(dataset)
    if rgba.ndim != 3 or rgba.shape[2] != RGBA_CHANNELS or rgba.dtype != np.uint8:
        raise ImageInputError(
            "bad_canvas",
            f"A canvas must be uint8 (height, width, 4); got {rgba.dtype} {rgba.shape}.",
        )
    image = Image.fromarray(rgba, mode="RGBA")
    _check_pixel_count(image)
    luminance, alpha = _grey_levels(_reduce(image))
    return _finish(_composite(luminance, alpha), framing)


def _framing(dataset: str) -> Framing:
    if dataset not in FRAMINGS:
        raise ValueError(f"unknown data set {dataset!r}; known: {sorted(FRAMINGS)}")
    return FRAMINGS[dataset]


def _open_checked(data: bytes) -> Image.Image:
    """Open, check and decode the first frame; every Pillow failure becomes ours."""
    if not data:
        raise ImageInputError("empty", "The file is empty.")
    if len(data) > MAX_IMAGE_BYTES:
        size_mb, limit_mb = len(data) / 2**20, MAX_IMAGE_BYTES / 2**20
        raise ImageInputError(
            "too_large",
            f"The file is {size_mb:.1f} MB; the limit is {limit_mb:.0f} MB.",
            size_mb=round(size_mb, 1),
            limit_mb=round(limit_mb),
        )
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise ImageInputError(
            "bomb",
            "The image announces far more pixels than can be decoded safely.",
        ) from None
    except Exception as error:  # noqa: BLE001 - Pillow raises many types for unknown data
        raise ImageInputError(
            "not_an_image",
            "This is not an image file in a format that can be read (PNG, JPEG, GIF, BMP, "
            "WebP, TIFF, ...).",
            detail=str(error),
        ) from None
    _check_pixel_count(image)
    return _decode(image)


def _check_pixel_count(image: Image.Image) -> None:
    """Reject zero-size images and images whose header announces too many pixels."""
    width, height = image.size
    if width < 1 or height < 1:
        raise ImageInputError("zero_size", f"The image is {width} x {height} pixels: empty.")
    if width * height > MAX_IMAGE_PIXELS:
        limit_mp = round(MAX_IMAGE_PIXELS / 1e6)
        raise ImageInputError(
            "too_many_pixels",
            f"The image is {width} x {height} pixels; the limit is {limit_mp} million pixels.",
            width=width,
            height=height,
            limit_mp=limit_mp,
        )


def _decode(image: Image.Image) -> Image.Image:
    """Decode the first frame, upright and reduced to the working size."""
    try:
        # JPEG can decode at a reduced scale directly, which saves most of the work
        image.draft("RGB", (WORKING_SIZE, WORKING_SIZE))
        image.seek(0)
        image.load()
        upright = ImageOps.exif_transpose(image)
        return _reduce(upright)
    except Exception as error:  # noqa: BLE001 - truncated or damaged data fails in many ways
        raise ImageInputError(
            "corrupt", "The image data is damaged or incomplete.", detail=str(error)
        ) from None


def _reduce(image: Image.Image) -> Image.Image:
    """Shrink so the longer side is at most :data:`WORKING_SIZE` (alpha-aware for RGBA)."""
    if max(image.size) <= WORKING_SIZE:
        return image
    if image.mode in SIXTEEN_BIT_MODES:
        image = image.convert("F")
    elif image.mode in PALETTE_MODES:
        # palette and 1-bit images would be resized by nearest neighbour: blocky
        image = image.convert("RGBA")
    reduced = image.copy()
    reduced.thumbnail((WORKING_SIZE, WORKING_SIZE), Image.Resampling.BOX)
    return reduced


def _grey_levels(image: Image.Image) -> tuple[np.ndarray, np.ndarray | None]:
    """Luminance ``(H, W)`` in [0, 1] and alpha ``(H, W)`` in [0, 1], or ``None`` if opaque."""
    if image.mode in SIXTEEN_BIT_MODES:
        return np.asarray(image, dtype=np.float32) / UINT16_MAX, None
    if image.mode in OWN_RANGE_MODES:
        values = np.asarray(image, dtype=np.float32)
        spread = float(values.max() - values.min())
        return (values - values.min()) / spread if spread > 0 else np.zeros_like(values), None
    try:
        rgba = np.asarray(image.convert("RGBA"), dtype=np.float32) / UINT8_MAX
    except ValueError as error:
        raise ImageInputError(
            "unsupported_mode",
            f"Images of mode {image.mode} are not supported ({error}).",
            mode=image.mode,
        ) from None
    alpha = rgba[..., 3]
    return rgba[..., :3] @ LUMA_WEIGHTS, (alpha if (alpha < 1).any() else None)


def _composite(luminance: np.ndarray, alpha: np.ndarray | None) -> np.ndarray:
    """Composite onto the backdrop that contrasts with the visible content."""
    if alpha is None:
        return luminance
    weight = float(alpha.sum())
    content_mean = float((luminance * alpha).sum()) / weight if weight > 0 else 1.0
    backdrop = 1.0 if content_mean < 0.5 else 0.0
    return alpha * luminance + (1 - alpha) * backdrop


def _finish(grey: np.ndarray, framing: Framing) -> torch.Tensor:
    """Polarity, contrast and framing; the result is ``(1, 1, 28, 28)``."""
    foreground = _light_on_dark(grey)
    cropped = _crop_to_content(foreground)
    fitted = _fit(cropped, framing.box)
    frame = _place(fitted, framing)
    # (28, 28) -> (1, 1, 28, 28)
    return torch.from_numpy(frame).unsqueeze(0).unsqueeze(0)


def _border(grey: np.ndarray) -> np.ndarray:
    """The pixels of the outer ring, :data:`BORDER_SHARE` of the shorter side thick."""
    width = max(1, round(BORDER_SHARE * min(grey.shape)))
    inner = np.zeros(grey.shape, dtype=bool)
    inner[width:-width, width:-width] = True
    return grey[~inner]


def _light_on_dark(grey: np.ndarray) -> np.ndarray:
    """Invert light backgrounds, subtract the background level and stretch to [0, 1]."""
    if float(np.median(_border(grey))) > 0.5:
        grey = 1 - grey
    background = float(np.median(_border(grey)))
    contrast = float(grey.max()) - background
    if contrast < BLANK_CONTRAST:
        raise ImageInputError(
            "blank", "The image is blank: nothing stands out from its background."
        )
    return np.clip((grey - background) / contrast, 0, 1).astype(np.float32)


def _crop_to_content(foreground: np.ndarray) -> np.ndarray:
    rows = np.flatnonzero((foreground > CONTENT_LEVEL).any(axis=1))
    columns = np.flatnonzero((foreground > CONTENT_LEVEL).any(axis=0))
    return foreground[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]


def _fit(content: np.ndarray, box: int) -> np.ndarray:
    """Resize so the longer side is ``box`` pixels, keeping the aspect ratio."""
    height, width = content.shape
    scale = box / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    resized = Image.fromarray(content, mode="F").resize(size, Image.Resampling.LANCZOS)
    # Lanczos rings slightly below 0 and above 1 next to sharp edges
    return np.clip(np.asarray(resized, dtype=np.float32), 0, 1)


def _place(content: np.ndarray, framing: Framing) -> np.ndarray:
    """Put ``content`` into the 28 x 28 frame, centred as the framing says."""
    height, width = content.shape
    top, left = (OUTPUT_SIZE - height) // 2, (OUTPUT_SIZE - width) // 2
    if framing.centre == "mass" and content.sum() > 0:
        rows, columns = np.indices(content.shape)
        middle = (OUTPUT_SIZE - 1) / 2
        top = round(middle - float((rows * content).sum() / content.sum()))
        left = round(middle - float((columns * content).sum() / content.sum()))
    # keep the whole content inside the frame
    top = min(max(top, 0), OUTPUT_SIZE - height)
    left = min(max(left, 0), OUTPUT_SIZE - width)
    frame = np.zeros((OUTPUT_SIZE, OUTPUT_SIZE), dtype=np.float32)
    frame[top : top + height, left : left + width] = content
    return frame
