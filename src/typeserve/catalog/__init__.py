"""Model specs, the default catalog and search."""

from typeserve.catalog.catalog import Catalog
from typeserve.catalog.spec import ModelSpec

__all__ = ["Catalog", "ModelSpec"]
