"""Images of printed text with their transcripts, for evaluating OCR models; none made here:

- scikit-image's `page` (a photographed page of a scikit-image tutorial, bundled in the
  scikit-image wheel); its seven lines of text are transcribed in `PAGE_TRANSCRIPT`;
- `img.png` of the Rust crate tesseract-sys (Debian librust-tesseract-sys-dev), a screenshot
  of four lines of a web page, with the transcript the crate's tests compare against
  (`img.txt`). scripts/install-system-deps.sh unpacks the two files from the Debian package
  into OCR_TESTDATA without installing the Rust toolchain the package depends on."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

OCR_TESTDATA = Path("/usr/local/share/typeserve/ocr-testdata")
INSTALL_HINT = "bash scripts/install-system-deps.sh (unpacks librust-tesseract-sys-dev's img.png and img.txt)"

PAGE_TRANSCRIPT = """Region-based segmentation
Let us first determine markers of the coins and the
background. These markers are pixels that we can label
unambiguously as either object or background. Here,
the markers are found at the two extreme parts of the
histogram of grey values:
>>> markers = np.zeros_like(coins)"""


@dataclass(frozen=True)
class TextImage:
    name: str
    png: bytes
    transcript: str


def scikit_image_page() -> TextImage:
    import skimage.data
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(skimage.data.page()).save(buffer, format="PNG")
    return TextImage("scikit-image page", buffer.getvalue(), PAGE_TRANSCRIPT)


def tesseract_sys_screenshot() -> TextImage:
    image, text = OCR_TESTDATA / "img.png", OCR_TESTDATA / "img.txt"
    if not image.exists() or not text.exists():
        raise FileNotFoundError(f"{image} is missing; {INSTALL_HINT}")
    return TextImage("tesseract-sys img.png", image.read_bytes(), text.read_text(encoding="utf-8").strip())


def text_images() -> list[TextImage]:
    return [scikit_image_page(), tesseract_sys_screenshot()]
