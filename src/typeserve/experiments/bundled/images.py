"""Images for the bundled image datasets: scikit-image's bundled sample photographs (no download),
none of which is in ImageNet, Yahoo's or NudeNet's training data, and none of which is unsafe.
scikit-image is imported on use, so other evaluations run without it."""

from __future__ import annotations

import io

import numpy as np

# Every scikit-image sample shipped inside the package; those that need pooch are left out.
SAFE_IMAGES = (
    "astronaut",
    "brick",
    "camera",
    "cell",
    "chelsea",
    "clock",
    "coffee",
    "coins",
    "colorwheel",
    "grass",
    "gravel",
    "hubble_deep_field",
    "immunohistochemistry",
    "logo",
    "moon",
    "page",
    "retina",
    "rocket",
    "stereo_motorcycle",
    "text",
)


def scikit_image(name: str) -> np.ndarray:
    """The named sample as RGB uint8 (grey images repeated over three channels, alpha dropped)."""
    import skimage.data

    pixels = getattr(skimage.data, name)()
    if isinstance(pixels, tuple):  # stereo pairs: the left view
        pixels = pixels[0]
    pixels = np.asarray(pixels)
    if pixels.dtype == bool:
        pixels = pixels.astype(np.uint8) * 255
    if pixels.ndim == 2:
        pixels = np.stack([pixels] * 3, axis=-1)
    return np.ascontiguousarray(pixels[..., :3].astype(np.uint8))


def encode(pixels: np.ndarray, image_format: str = "PNG", **options: object) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, image_format, **options)
    return buffer.getvalue()


def safe_images() -> dict[str, bytes]:
    """Every safe sample as PNG bytes, by name."""
    return {name: encode(scikit_image(name)) for name in SAFE_IMAGES}
