"""Reconstruction loss, KL term and ELBO, all in nats per image."""

from __future__ import annotations

import torch
from torch.nn import functional as F


def reconstruction_loss(recon_logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Bernoulli negative log-likelihood of ``x`` under the decoder, summed over pixels.

    Args:
        recon_logits: Decoder output ``(batch, C, H, W)`` before the sigmoid.
        x: Target images of the same shape with values in [0, 1].

    Returns:
        Loss per image, shape ``(batch,)``.
    """
    per_pixel = F.binary_cross_entropy_with_logits(recon_logits, x, reduction="none")
    return per_pixel.flatten(start_dim=1).sum(dim=1)


def kl_divergence(mu: torch.Tensor, logvar: torch.Tensor | None) -> torch.Tensor:
    """``KL(N(mu, exp(logvar)) || N(0, I))`` per image, in closed form.

    Kingma & Welling 2013, Appendix B: ``-0.5 * sum(1 + logvar - mu^2 - exp(logvar))``.
    A deterministic encoder (``logvar is None``) has no KL term and gets zeros.

    Returns:
        KL per image, shape ``(batch,)``.
    """
    if logvar is None:
        return torch.zeros(mu.shape[0], dtype=mu.dtype, device=mu.device)
    return -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)


def bce_floor(x: torch.Tensor) -> torch.Tensor:
    """The lowest reconstruction loss possible for ``x``: the entropy of its own pixels.

    With continuous targets, binary cross-entropy is minimised by predicting ``x`` itself,
    and that minimum is ``sum(-x log x - (1 - x) log(1 - x))``.

    Returns:
        Floor per image, shape ``(batch,)``.
    """
    entropy = -(torch.xlogy(x, x) + torch.xlogy(1 - x, 1 - x))
    return entropy.flatten(start_dim=1).sum(dim=1)


def loss_terms(
    recon_logits: torch.Tensor,
    x: torch.Tensor,
    mu: torch.Tensor,
    logvar: torch.Tensor | None,
    beta: float,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The training objective and its parts, each averaged over the batch.

    Returns:
        ``(loss, recon_loss, kl_loss)``: ``loss = recon_loss + beta * kl_loss``.
        With ``beta = 1`` the loss is the negative ELBO.
    """
    recon_loss = reconstruction_loss(recon_logits, x).mean()
    kl_loss = kl_divergence(mu, logvar).mean()
    return recon_loss + beta * kl_loss, recon_loss, kl_loss
