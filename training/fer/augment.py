"""Batched augmentation on uint8 faces: one affine warp (rotation, scale, shift = random crop, mirror) and
random erasing, all drawn from the caller's generator so that a resumed run draws what an unbroken run
would have drawn."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from .models import CROP, MEAN, STD

SIDE = 48


def normalise(x_u8: torch.Tensor) -> torch.Tensor:
    """uint8 [B,H,W] -> float [B,1,H,W], standardised as the exported graph does."""
    return ((x_u8.float() / 255.0 - MEAN) / STD).unsqueeze(1)


def centre(x: torch.Tensor, c: int = CROP) -> torch.Tensor:
    m = (x.shape[-1] - c) // 2
    return x[..., m : m + c, m : m + c]


def augment(
    x_u8: torch.Tensor,
    g: torch.Generator,
    *,
    rotate_deg: float = 10.0,
    scale: tuple[float, float] = (0.9, 1.1),
    shift_px: float = 4.0,
    erase_p: float = 0.25,
    erase_area: tuple[float, float] = (0.02, 0.15),
) -> torch.Tensor:
    """uint8 [B,48,48] -> float [B,1,44,44] (normalised)."""
    b = x_u8.shape[0]
    x = normalise(x_u8)

    def u(lo: float, hi: float) -> torch.Tensor:
        return torch.rand(b, generator=g) * (hi - lo) + lo

    ang = u(-rotate_deg, rotate_deg) * math.pi / 180
    r = CROP / SIDE / u(*scale)  # the output covers CROP px of the 48 px face, zoomed by `scale`
    flip = torch.where(torch.rand(b, generator=g) < 0.5, -1.0, 1.0)
    tx = u(-shift_px, shift_px) * 2 / SIDE
    ty = u(-shift_px, shift_px) * 2 / SIDE
    cos, sin = torch.cos(ang) * r, torch.sin(ang) * r
    theta = torch.stack([torch.stack([cos * flip, -sin, tx], 1), torch.stack([sin * flip, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, [b, 1, CROP, CROP], align_corners=False)
    out = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)

    # Random erasing: one rectangle of noise per chosen face (occlusion by hands, packaging, glasses).
    area = u(*erase_area) * CROP * CROP
    aspect = torch.exp(u(math.log(0.3), math.log(3.3)))
    h = (area * aspect).sqrt().clamp(1, CROP - 1).long()
    w = (area / aspect).sqrt().clamp(1, CROP - 1).long()
    y0 = (torch.rand(b, generator=g) * (CROP - h + 1)).long()
    x0 = (torch.rand(b, generator=g) * (CROP - w + 1)).long()
    chosen = torch.rand(b, generator=g) < erase_p
    noise = torch.randn(out.shape, generator=g)
    rows = torch.arange(CROP).view(1, CROP, 1)
    cols = torch.arange(CROP).view(1, 1, CROP)
    mask = (
        (rows >= y0.view(-1, 1, 1)) & (rows < (y0 + h).view(-1, 1, 1))
        & (cols >= x0.view(-1, 1, 1)) & (cols < (x0 + w).view(-1, 1, 1))
        & chosen.view(-1, 1, 1)
    ).unsqueeze(1)
    return torch.where(mask, noise, out)


def ten_crop(x: torch.Tensor, c: int = CROP) -> list[torch.Tensor]:
    """float [B,1,48,48] -> 10 views [B,1,c,c]: centre, four corners, and their mirrors (first = centre,
    sixth = mirrored centre)."""
    o = x.shape[-1] - c
    crops = [centre(x, c), x[..., :c, :c], x[..., :c, o:], x[..., o:, :c], x[..., o:, o:]]
    return crops + [v.flip(-1) for v in crops]
