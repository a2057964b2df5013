"""Media decoding shared by image and audio types: bytes from base64, raw bodies or URLs,
decoded with Pillow and soundfile under limits on bytes, pixels and duration."""

from typeserve.modeltypes.media.limits import MediaLimits

__all__ = ["MediaLimits"]
