"""Settings, read from TYPESERVE_* environment variables (and overridable by CLI flags)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from typeserve.accounts.limits.policy import Limits


def default_data_dir() -> Path:
    return Path.home() / ".typeserve"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TYPESERVE_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None
    # How long a write waits for another writer's lock (SQLite) before answering 503.
    database_busy_timeout_s: float = 10.0
    host: str = "127.0.0.1"
    port: int = 8000
    # Public base URL shown in cards and samples; taken from the request when unset.
    public_url: str | None = None
    # Extra catalog files (YAML) loaded after the embedded default catalog.
    catalog_files: list[Path] = Field(default_factory=list)

    # Request and media limits: every input is treated as hostile.
    max_body_bytes: int = 20 * 1024 * 1024
    max_media_bytes: int = 20 * 1024 * 1024
    max_image_pixels: int = 40_000_000
    max_audio_seconds: float = 600.0
    # Text lengths and list sizes are not settings: they are the types' wire schema
    # (modeltypes/text.py), published in every OpenAPI document.
    url_fetch_timeout_s: float = 10.0
    # Reading a request: its headers within this of the connection, each part of its body
    # within the next, and the whole body within the last (stalled clients hold nothing).
    header_timeout_s: float = 10.0
    body_timeout_s: float = 30.0
    body_deadline_s: float = 300.0
    allow_private_urls: bool = False

    # Tiers: gpuflex on a host without a GPU is refused unless a fallback is configured.
    gpuflex_fallback: Literal["cpuflex"] | None = None
    inference_timeout_s: float = 60.0
    preload: bool = False
    # Unload least-recently-used models when loaded models together exceed this (MB).
    memory_budget_mb: int | None = None
    # Batches a worker process holds under load (the one it computes and those waiting in its
    # pipe); 1 sends the next batch only when the last one is answered.
    worker_pipeline_depth: int = Field(default=2, ge=1, le=4)
    # Engine: "local" (this process and its workers) or "ray" (Ray Serve deployments).
    engine: Literal["local", "ray"] = "local"
    # Ray engine: the cluster (else RAY_ADDRESS, else a local one this process starts on loopback).
    ray_address: str | None = None
    ray_num_cpus: int = 2
    ray_object_store_mb: int = 256
    # Application names start with this: gateways with the same prefix share deployments.
    ray_app_prefix: str = "typeserve"
    ray_deploy_timeout_s: float = 600.0
    # Send this gateway's typeserve package to the replicas (runtime_env py_modules).
    ray_ship_code: bool = True
    # Delete the deployments this gateway made when it stops (one gateway per cluster, tests).
    ray_release_on_stop: bool = False
    # Log format: "json" (one object per line, with the request id) or "text".
    log_format: Literal["json", "text"] = "json"

    # Usage is appended to a journal under the data dir before each answer, so that a crash of
    # the process loses none (off: usage buffered in memory only, as a benchmark baseline).
    usage_journal: bool = True

    # Auth cache: how long a verified key is trusted before the store is asked again.
    key_cache_ttl_s: float = 1.0

    # Rate limits and quotas (docs/limits.md): defaults for every key and every user, as JSON
    # (TYPESERVE_KEY_LIMITS='{"requestsPerSecond": 10, "requestsPerDay": 10000}'); keys and users
    # override them one by one. Counters live in Redis when redis_url is set (shared by every
    # gateway on it), else in this process. While Redis is down, "open" lets requests through
    # uncounted (saying so in a header) and "closed" answers 503.
    redis_url: str | None = None
    key_limits: Limits = Field(default_factory=Limits)
    user_limits: Limits = Field(default_factory=Limits)
    limits_failure_mode: Literal["open", "closed"] = "open"
    limits_redis_timeout_s: float = 1.0
    # Daily and monthly quotas start this many seconds after midnight UTC (a billing day).
    quota_day_offset_s: float = Field(default=0.0, ge=0, lt=86_400)

    # Experiments: datasets and runs are bounded so that one user cannot exhaust the server.
    experiment_max_dataset_bytes: int = 50 * 1024 * 1024
    experiment_max_rows: int = 2_000
    experiment_max_models: int = 10
    experiment_max_running_per_user: int = 2
    # Rows of one model in flight at once (lets the engine batch them).
    experiment_parallel_rows: int = 4
    # A running experiment whose runner showed no life for this long is claimed and resumed.
    experiment_stale_s: float = 60.0

    # Console: the `admin` user's password (else a random one is printed at first start),
    # the session cookie's signing secret (else one kept in the database) and lifetime.
    admin_password: SecretStr | None = None
    session_secret: SecretStr | None = None
    session_max_age_s: int = 12 * 3600

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'typeserve.db'}"


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit (non-None) overrides on top."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)  # type: ignore[arg-type]
