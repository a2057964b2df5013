"""Adding and removing user models on a data directory (what `typeserve models add / pull /
remove` do): ids are checked against the default catalog and the registry, then saved."""

from __future__ import annotations

from typeserve.catalog.catalog import Catalog
from typeserve.catalog.registry_store import RegisteredModelStore
from typeserve.catalog.spec import ModelSpec
from typeserve.config import Settings


class ModelAdminError(ValueError):
    """A refusal the CLI prints as it is."""


def registry_for(settings: Settings) -> RegisteredModelStore:
    from typeserve.store import open_database

    return RegisteredModelStore(open_database(settings))


def save_registered(settings: Settings, spec: ModelSpec, *, replace: bool = False) -> None:
    if Catalog.default(settings.catalog_files).is_builtin(spec.id):
        raise ModelAdminError(f"{spec.id} is a model of the default catalog; choose another id with --id.")
    store = registry_for(settings)
    if not replace and store.get(spec.id) is not None:
        raise ModelAdminError(f"{spec.id} is already registered; remove it first, or add with --replace.")
    store.add(spec, replace=replace)


def remove_registered(settings: Settings, model_id: str) -> None:
    store = registry_for(settings)
    if not store.remove(model_id):
        if Catalog.default(settings.catalog_files).is_builtin(model_id):
            raise ModelAdminError(f"{model_id} is part of the default catalog and cannot be removed.")
        raise ModelAdminError(f"no registered model with id {model_id!r}.")
