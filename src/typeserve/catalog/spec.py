"""A model's catalog entry: data, not code. Everything the server needs to find, load, serve
and describe one model."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

MODEL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9._-]+/[A-Za-z0-9][A-Za-z0-9._/-]*$")
# What may not stand in a model id's name part (registration turns it into "-").
ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def is_model_id(value: str) -> bool:
    return bool(MODEL_ID.match(value)) and ".." not in value and "//" not in value


def id_name(text: str) -> str:
    """A model id's last part made from a file, repository or URL name."""
    return ID_UNSAFE.sub("-", text).strip("-.") or "model"


class Autoscaling(BaseModel):
    """Ray engine: replicas follow the queue (Ray Serve's autoscaling on ongoing requests)."""

    model_config = ConfigDict(extra="forbid")

    min_replicas: int = Field(default=1, ge=0, le=64, description="0 allows scale to zero (first request waits).")
    max_replicas: int = Field(default=4, ge=1, le=256)
    target_ongoing_requests: float = Field(default=8.0, gt=0, description="Requests per replica to aim for.")
    upscale_delay_s: float = Field(default=2.0, ge=0)
    downscale_delay_s: float = Field(default=60.0, ge=0)


class Serving(BaseModel):
    """How the engine serves the model."""

    model_config = ConfigDict(extra="forbid")

    in_process: bool = Field(default=True, description="Run in the server process (cheap models).")
    inline: bool = Field(
        default=False,
        description="Call the model directly on the event loop: for in-process models that answer in "
        "microseconds, where a thread hop costs more than the model.",
    )
    max_input_chars: int | None = Field(
        default=None,
        ge=1,
        description="The most characters one input may have (for models whose cost grows faster than "
        "their input); longer inputs are refused with 413 before the model runs.",
    )
    max_batch_size: int = Field(default=8, ge=1, le=1024)
    max_batch_wait_ms: float = Field(default=2.0, ge=0, le=1000)
    max_queue: int = Field(default=256, ge=1)
    replicas: int = Field(default=1, ge=1, le=64)
    threads: int | None = Field(
        default=None,
        ge=1,
        le=256,
        description="Compute threads of each worker process (in_process: false). Unset: one replica "
        "keeps the runtime's default (a thread per core); several divide the machine's cores among them.",
    )
    timeout_s: float | None = Field(default=None, gt=0)
    tiers: list[str] = Field(default_factory=lambda: ["cpuflex", "gpuflex"])
    # Ray engine: what one replica asks the cluster for, so Ray places it where that is free.
    cpus: float = Field(default=0.25, gt=0, le=256, description="CPUs a replica asks Ray for.")
    gpus: float = Field(
        default=1.0, gt=0, le=16, description="GPUs a gpuflex replica asks Ray for (a fraction shares one)."
    )
    autoscaling: Autoscaling | None = Field(default=None, description="Ray engine: replicas between min and max.")


class Requirements(BaseModel):
    """What must be installed for the model to load, and how to install it."""

    model_config = ConfigDict(extra="forbid")

    python: list[str] = Field(default_factory=list, description="Importable module names.")
    commands: list[str] = Field(default_factory=list, description="Executables on PATH.")
    files: list[str] = Field(default_factory=list, description="Files that must exist.")
    install: str | None = Field(default=None, description="The command that installs them.")


class QualityFigure(BaseModel):
    model_config = ConfigDict(extra="forbid")

    metric: str
    value: float
    dataset: str
    note: str | None = None


class Example(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request: dict[str, Any]
    response: dict[str, Any] | None = None
    file: str | None = Field(default=None, description="A media file the example stands for.")


class ModelSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    type: str
    runtime: str
    title: str
    description: str = ""
    entrypoint: str | None = Field(default=None, description="Builtin model name or predictor path.")
    source: str = ""
    license: str = "unknown"
    labels: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    limits: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    sample_rate: int | None = Field(default=None, description="Audio models: the rate they take.")
    options: dict[str, Any] = Field(default_factory=dict, description="Passed to the runtime.")
    requires: Requirements = Field(default_factory=Requirements)
    serving: Serving = Field(default_factory=Serving)
    examples: list[Example] = Field(default_factory=list)
    quality: list[QualityFigure] = Field(default_factory=list)
    card: str | None = Field(default=None, description="Long-form model card (Markdown).")

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        if not is_model_id(value):
            raise ValueError("model ids look like vendor/version/name")
        return value

    @property
    def vendor(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def version(self) -> str:
        return self.id.split("/", 2)[1]

    @property
    def name(self) -> str:
        return self.id.split("/", 2)[2]
