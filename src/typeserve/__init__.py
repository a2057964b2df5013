"""typeserve: self-hosted model inference where every model is called through its type."""

__version__ = "0.1.0"
