"""The textbook data pipeline: torchvision's ``FashionMNIST`` read one image at a time."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import torch

from vae_core.data import IDX_FILES, Dataset


def torchvision_root(dataset: Dataset, scratch: Path) -> Path:
    """A root folder where torchvision's ``FashionMNIST`` finds the very images we loaded.

    torchvision reads the four idx files, uncompressed, from ``root/FashionMNIST/raw``.
    """
    if dataset.provenance["source"] == "torchvision":
        return Path(dataset.provenance["path"])
    source = Path(dataset.provenance["path"])
    raw = scratch / "FashionMNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for stem in (name for pair in IDX_FILES.values() for name in pair):
        packed = source / f"{stem}.gz"
        if packed.is_file():
            with gzip.open(packed, "rb") as compressed, (raw / stem).open("wb") as plain:
                shutil.copyfileobj(compressed, plain)
        else:
            shutil.copyfile(source / stem, raw / stem)
    return scratch


def per_image_loader(root: Path, batch_size: int, seed: int) -> torch.utils.data.DataLoader:
    """torchvision's per-image pipeline: PIL image, ``ToTensor``, default collate."""
    from torchvision import datasets, transforms

    images = datasets.FashionMNIST(
        str(root), train=True, download=False, transform=transforms.ToTensor()
    )
    generator = torch.Generator().manual_seed(seed)
    return torch.utils.data.DataLoader(
        images, batch_size=batch_size, shuffle=True, generator=generator
    )
