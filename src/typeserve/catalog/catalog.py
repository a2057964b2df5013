"""The catalog: every model spec the server knows, looked up by id and searched by type,
vendor and free text. Specs come from the embedded default catalog (with the quality figures
its bundled evaluations measured) and operator files, and
from the registry of user-added models, which is read on every lookup and search so that
models added or removed by another process (the CLI) are seen without a restart."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Protocol

import yaml

from typeserve.catalog.spec import ModelSpec, QualityFigure
from typeserve.errors import not_found
from typeserve.modeltypes import MODEL_TYPES


def load_catalog_file(text: str, origin: str) -> list[ModelSpec]:
    document = yaml.safe_load(text) or {}
    entries = document.get("models", []) if isinstance(document, dict) else document
    specs = []
    for entry in entries:
        spec = ModelSpec.model_validate(entry)
        if spec.type not in MODEL_TYPES:
            raise ValueError(f"{origin}: model {spec.id} has unknown type {spec.type!r}")
        specs.append(spec)
    return specs


def default_specs() -> list[ModelSpec]:
    """The embedded default catalog: every YAML file under catalog/default/ (one per source)."""
    folder = resources.files("typeserve.catalog").joinpath("default")
    specs: list[ModelSpec] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            specs += load_catalog_file(entry.read_text("utf-8"), f"default catalog {entry.name}")
    return [with_measured_quality(spec) for spec in specs]


def with_measured_quality(spec: ModelSpec) -> ModelSpec:
    """The spec with the figures `typeserve eval` measured for it (bundled evaluations) first."""
    from typeserve.experiments.bundled.results import measured_quality

    measured = [QualityFigure.model_validate(figure) for figure in measured_quality().get(spec.id, [])]
    return spec.model_copy(update={"quality": measured + spec.quality}) if measured else spec


class Registry(Protocol):
    """Where user-registered specs live (catalog/registry_store.py)."""

    def get(self, model_id: str) -> ModelSpec | None: ...

    def list(self) -> list[ModelSpec]: ...


class Catalog:
    def __init__(self, specs: Iterable[ModelSpec] = (), registry: Registry | None = None) -> None:
        self._specs: dict[str, ModelSpec] = {}
        self.registry = registry
        for spec in specs:
            self.add(spec)

    @classmethod
    def default(
        cls,
        extra_files: Iterable[Path] = (),
        registry: Registry | None = None,
        apertium_data_dirs: Iterable[Path] | None = None,
    ) -> Catalog:
        # The builtin runtime's discovery, imported on use: runtimes import the catalog's specs.
        from typeserve.runtimes.builtin.helpers.apertium_modes import DEFAULT_DATA_DIRS, installed_mode_specs

        catalog = cls(default_specs(), registry)
        # Installed Apertium modes the default catalog does not already describe.
        for spec in installed_mode_specs(DEFAULT_DATA_DIRS if apertium_data_dirs is None else apertium_data_dirs):
            if spec.id not in catalog:
                catalog.add(spec)
        for path in extra_files:
            for spec in load_catalog_file(Path(path).read_text("utf-8"), str(path)):
                catalog.add(spec)
        return catalog

    def add(self, spec: ModelSpec) -> None:
        self._specs[spec.id] = spec

    def remove(self, model_id: str) -> None:
        self._specs.pop(model_id, None)

    def __contains__(self, model_id: object) -> bool:
        if model_id in self._specs:
            return True
        return isinstance(model_id, str) and self.registry is not None and self.registry.get(model_id) is not None

    def __len__(self) -> int:
        return len(self.all())

    def is_builtin(self, model_id: str) -> bool:
        """Part of the default catalog or operator files (registered ids must not take these)."""
        return model_id in self._specs

    def all(self) -> list[ModelSpec]:
        specs = dict(self._specs)
        for spec in self.registry.list() if self.registry is not None else []:
            specs.setdefault(spec.id, spec)
        return sorted(specs.values(), key=lambda s: s.id)

    def get(self, model_id: str) -> ModelSpec:
        spec = self._specs.get(model_id)
        if spec is None and self.registry is not None:
            spec = self.registry.get(model_id)
        if spec is None:
            raise not_found("unknown_model", f"No model with id {model_id!r}.")
        return spec

    def search(self, *, type: str | None = None, vendor: str | None = None, q: str | None = None) -> list[ModelSpec]:
        """Models matching every word of `q`, most relevant first: those whose id or title holds
        every word, then those matching on type, tags or labels, then description-only matches;
        by title within each rank."""
        terms = (q or "").lower().split()
        ranked: list[tuple[int, str, ModelSpec]] = []
        for spec in self.all():
            if type and spec.type != type:
                continue
            if vendor and spec.vendor != vendor:
                continue
            rank = search_rank(spec, terms)
            if rank is not None:
                ranked.append((rank, spec.title.casefold(), spec))
        return [spec for _rank, _title, spec in sorted(ranked, key=lambda entry: entry[:2])]


def search_rank(spec: ModelSpec, terms: list[str]) -> int | None:
    """0: every word in the id or title; 1: also needs the type, tags or labels; 2: also needs
    the description; None: no match."""
    fields = [
        " ".join([spec.id, spec.title]).lower(),
        " ".join([spec.type, *spec.tags, *spec.labels]).lower(),
        spec.description.lower(),
    ]
    for rank in range(len(fields)):
        haystack = " ".join(fields[: rank + 1])
        if all(term in haystack for term in terms):
            return rank
    return None
