"""Image decoding with Pillow: format sniffing, a pixel limit checked before any pixel is
decoded (decompression bombs), EXIF orientation, first frame of animations, RGB out."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from typeserve.errors import bad_media, too_large

SUPPORTED_FORMATS = ("JPEG", "PNG", "WEBP", "BMP", "GIF", "TIFF")


def decode_image(data: bytes, max_bytes: int, max_pixels: int) -> Image.Image:
    if len(data) > max_bytes:
        raise too_large(f"Image is larger than the limit of {max_bytes} bytes.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data), formats=SUPPORTED_FORMATS)
    except UnidentifiedImageError:
        raise bad_media("The data is not an image in a supported format (JPEG, PNG, WebP, BMP, GIF, TIFF).") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_large(f"Image has more than {max_pixels} pixels.") from None
    except Exception as exc:  # Pillow raises many types for malformed headers
        raise bad_media(f"The image could not be read: {exc.__class__.__name__}.") from None
    width, height = image.size
    if width <= 0 or height <= 0:
        raise bad_media("The image has no pixels.")
    if width * height > max_pixels:
        raise too_large(f"Image is {width}x{height}, more than the limit of {max_pixels} pixels.")
    try:
        image.seek(0)
        image.load()
        image = ImageOps.exif_transpose(image) or image
        return image.convert("RGB")
    except Exception as exc:  # truncated or corrupt pixel data
        raise bad_media(f"The image is truncated or corrupt: {exc.__class__.__name__}.") from None
