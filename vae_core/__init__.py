"""The science of Latent Space Explorer: models, losses, data, training and checkpoints.

Importable without Streamlit; the app in ``app.py`` and ``pages/`` is built on top of it.
"""

from vae_core.checkpoints import (
    CheckpointError,
    LoadedModel,
    Registry,
    load_checkpoint,
    save_checkpoint,
    scan_folder,
)
from vae_core.config import MODEL_KINDS, ModelConfig, TrainConfig
from vae_core.data import CLASS_NAMES, DATASET_NAMES, DataUnavailableError, load_dataset
from vae_core.losses import kl_divergence, loss_terms, reconstruction_loss
from vae_core.models import Autoencoder, Decoder, Encoder, VariationalAutoencoder, build_model

__all__ = [
    "CLASS_NAMES",
    "DATASET_NAMES",
    "MODEL_KINDS",
    "Autoencoder",
    "CheckpointError",
    "DataUnavailableError",
    "Decoder",
    "Encoder",
    "LoadedModel",
    "ModelConfig",
    "Registry",
    "TrainConfig",
    "VariationalAutoencoder",
    "build_model",
    "kl_divergence",
    "load_dataset",
    "load_checkpoint",
    "loss_terms",
    "reconstruction_loss",
    "save_checkpoint",
    "scan_folder",
]
