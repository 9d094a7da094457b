"""Encoder, decoder, and the two models built from them.

An :class:`Autoencoder` and a :class:`VariationalAutoencoder` with the same
:class:`~vae_core.config.ModelConfig` share every layer but one: the VAE's encoder has a
second head that outputs ``logvar``, and its bottleneck samples ``z`` with the
reparameterisation trick (Kingma & Welling 2013, section 2.4).
"""

from __future__ import annotations

import torch
from torch import nn

from vae_core.config import ModelConfig


def _mlp(widths: list[int]) -> nn.Sequential:
    """Linear layers of the given widths, each followed by a ReLU."""
    layers: list[nn.Module] = []
    for in_features, out_features in zip(widths[:-1], widths[1:], strict=True):
        layers += [nn.Linear(in_features, out_features), nn.ReLU()]
    return nn.Sequential(*layers)


class Encoder(nn.Module):
    """Maps images to the mean of their code (and, for a VAE, its log-variance)."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.trunk = _mlp([config.input_dim, *config.hidden_dims])
        self.to_mu = nn.Linear(config.hidden_dims[-1], config.latent_dim)
        self.to_logvar = (
            nn.Linear(config.hidden_dims[-1], config.latent_dim) if config.kind == "vae" else None
        )

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Encode a batch.

        Args:
            x: Images, shape ``(batch, channels, height, width)`` with values in [0, 1].

        Returns:
            ``mu`` of shape ``(batch, latent_dim)`` and ``logvar`` of the same shape, or
            ``None`` when the encoder is deterministic.
        """
        hidden = self.trunk(x.flatten(start_dim=1))
        logvar = self.to_logvar(hidden) if self.to_logvar is not None else None
        return self.to_mu(hidden), logvar


class Decoder(nn.Module):
    """Maps codes to per-pixel Bernoulli logits."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        widths = [config.latent_dim, *reversed(config.hidden_dims)]
        self.trunk = _mlp(widths)
        self.to_logits = nn.Linear(widths[-1], config.input_dim)
        self.image_shape = (config.channels, config.image_size, config.image_size)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Decode a batch of codes ``(batch, latent_dim)`` to logits ``(batch, C, H, W)``."""
        logits = self.to_logits(self.trunk(z))
        return logits.view(-1, *self.image_shape)


class Autoencoder(nn.Module):
    """A deterministic autoencoder: ``z = mu = E(x)`` and ``recon = D(z)``."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        self.encoder = Encoder(config)
        self.decoder = Decoder(config)

    @property
    def kind(self) -> str:
        """``"ae"`` or ``"vae"``, as in the config."""
        return self.config.kind

    @property
    def latent_dim(self) -> int:
        """Size of the code."""
        return self.config.latent_dim

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Return ``(mu, logvar)`` for images ``x``; ``logvar`` is ``None`` for a plain AE."""
        return self.encoder(x)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Decode codes ``(batch, latent_dim)`` to pixel probabilities ``(batch, C, H, W)``."""
        return torch.sigmoid(self.decoder(z))

    def bottleneck(
        self, mu: torch.Tensor, logvar: torch.Tensor | None, generator: torch.Generator | None
    ) -> torch.Tensor:
        """Choose the code that is decoded during training; the AE uses ``mu`` itself."""
        return mu

    def forward(
        self, x: torch.Tensor, generator: torch.Generator | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None, torch.Tensor]:
        """Run the whole model.

        Args:
            x: Images ``(batch, C, H, W)`` in [0, 1].
            generator: Source of the VAE's noise; ignored by a plain AE.

        Returns:
            ``(recon_logits, mu, logvar, z)``; ``recon_logits`` has the shape of ``x``.
        """
        mu, logvar = self.encode(x)
        z = self.bottleneck(mu, logvar, generator)
        return self.decoder(z), mu, logvar, z

    @torch.inference_mode()
    def reconstruct(self, x: torch.Tensor) -> torch.Tensor:
        """Decode the mean code of each image: the deterministic reconstruction."""
        mu, _ = self.encode(x)
        return self.decode(mu)


class VariationalAutoencoder(Autoencoder):
    """A VAE: the encoder gives ``q(z|x) = N(mu, diag(exp(logvar)))`` and ``z`` is sampled."""

    def bottleneck(
        self, mu: torch.Tensor, logvar: torch.Tensor | None, generator: torch.Generator | None
    ) -> torch.Tensor:
        """Reparameterise: ``z = mu + std * eps`` with ``eps ~ N(0, I)``."""
        assert logvar is not None, "a VAE encoder always returns logvar"
        std = torch.exp(0.5 * logvar)
        eps = torch.randn(mu.shape, generator=generator, dtype=mu.dtype, device=mu.device)
        return mu + std * eps


def build_model(config: ModelConfig) -> Autoencoder:
    """Build the model that ``config.kind`` names, with freshly initialised weights."""
    model_class = VariationalAutoencoder if config.kind == "vae" else Autoencoder
    return model_class(config)
