"""The composition root: builds the services from Settings and the ASGI application from
its parts (the HTTP API, the web console, the experiment runner), with a lifespan that opens
the database, loads the catalog, issues the first admin key and console password once and
starts metering. No other module assembles parts."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.types import ASGIApp

from typeserve import __version__
from typeserve.accounts.keys import ApiKeyStore
from typeserve.accounts.limits.counters import Counters, MemoryCounters
from typeserve.accounts.limits.limiter import Limiter
from typeserve.accounts.revocation_events import RevocationEvents
from typeserve.accounts.sessions import codec_for
from typeserve.accounts.usage import UsageRecorder
from typeserve.accounts.users import issue_first_admin_key, provision_admin_password
from typeserve.api.compat import hf_routes, openai_routes, v2_routes
from typeserve.api.invoke_endpoint import InvokeEndpoint
from typeserve.api.limit_headers import LimitHeadersMiddleware
from typeserve.api.read_deadlines import BodyDeadlines
from typeserve.api.request_id import RequestIdMiddleware
from typeserve.api.routers import install_api
from typeserve.catalog import Catalog
from typeserve.catalog.registry_store import RegisteredModelStore
from typeserve.config import Settings
from typeserve.console import install_console
from typeserve.engine import Engine, LocalEngine
from typeserve.engine.metrics import ServingMetrics
from typeserve.engine.tiers import Tier
from typeserve.experiments.runner import runner_for_services
from typeserve.experiments.service import ExperimentService
from typeserve.inference import Inference
from typeserve.modeltypes.media import MediaLimits
from typeserve.services import Services
from typeserve.store import open_database

log = logging.getLogger("typeserve")


def build_limiter(settings: Settings) -> Limiter:
    counters: Counters
    if settings.redis_url:
        from typeserve.accounts.limits.redis_counters import RedisCounters

        counters = RedisCounters(settings.redis_url, timeout_s=settings.limits_redis_timeout_s)
    else:
        counters = MemoryCounters()
    return Limiter(
        counters,
        key_defaults=settings.key_limits,
        user_defaults=settings.user_limits,
        failure_mode=settings.limits_failure_mode,
        window_offset_s=settings.quota_day_offset_s,
    )


def build_services(settings: Settings, engine: Engine | None = None) -> Services:
    db = open_database(settings)
    metrics = ServingMetrics()
    keys = ApiKeyStore(
        db, cache_ttl_s=settings.key_cache_ttl_s, on_lookup=lambda result: metrics.key_lookups.labels(result).inc()
    )
    catalog = Catalog.default(settings.catalog_files, registry=RegisteredModelStore(db))
    engine = engine or build_engine(settings, metrics)
    media_limits = MediaLimits.from_settings(settings)
    return Services(
        settings=settings,
        db=db,
        catalog=catalog,
        keys=keys,
        usage=UsageRecorder(
            db, keys, journal_dir=settings.data_dir / "usage-journal" if settings.usage_journal else None
        ),
        engine=engine,
        metrics=metrics,
        media_limits=media_limits,
        inference=Inference(catalog, engine, settings, media_limits),
        limiter=build_limiter(settings),
    )


def build_engine(settings: Settings, metrics: ServingMetrics | None = None) -> Engine:
    """The engine chosen by settings: `local` (this process and its workers) or `ray`."""
    if settings.engine == "ray":
        from typeserve.engine.ray import RayCluster, RayEngine

        cluster = RayCluster(
            settings.ray_address,
            num_cpus=settings.ray_num_cpus,
            object_store_bytes=settings.ray_object_store_mb * 2**20,
            ship_code=settings.ray_ship_code,
        )
        return RayEngine(
            cluster,
            default_timeout_s=settings.inference_timeout_s,
            metrics=metrics,
            app_prefix=settings.ray_app_prefix,
            deploy_timeout_s=settings.ray_deploy_timeout_s,
            release_on_stop=settings.ray_release_on_stop,
        )
    budget = settings.memory_budget_mb * 2**20 if settings.memory_budget_mb else None
    return LocalEngine(
        default_timeout_s=settings.inference_timeout_s,
        memory_budget_bytes=budget,
        metrics=metrics,
        worker_pipeline_depth=settings.worker_pipeline_depth,
    )


def announce(settings: Settings, first_key: str | None, admin_password: str | None = None) -> None:
    """Printed to stdout, never logged: the first key and password must not end up in log files."""
    url = settings.public_url or f"http://{settings.host}:{settings.port}"
    lines = [f"typeserve {__version__} is serving at {url}/  (data dir: {settings.data_dir})"]
    if first_key:
        lines += [
            "A first admin API key was created. It is shown only this once; store it now:",
            f"  {first_key}",
            f"Try: curl -H 'Authorization: Bearer {first_key}' -d '{{\"input\": \"I love this product!\"}}' "
            f"{url}/v1/ent/vader/1/sentiment",
        ]
    if admin_password:
        lines += [
            "The web console's user 'admin' got a password. It is shown only this once:",
            f"  admin password: {admin_password}",
            f"Sign in at {url}/signin (or set TYPESERVE_ADMIN_PASSWORD).",
        ]
    print("\n".join(lines), file=sys.stdout, flush=True)


# Told how many models will load, returns what to call as each one has (id, how many so far).
PreloadProgress = Callable[[int], Callable[[str, int], None]]


async def preload_models(services: Services, app: FastAPI, progress: PreloadProgress | None = None) -> None:
    specs = services.catalog.all()
    loaded = progress(len(specs)) if progress is not None else None
    for done, spec in enumerate(specs, start=1):
        app.state.startup_phase = f"loading {spec.id}"
        try:
            await services.engine.load(spec, Tier.CPUFLEX)
        except Exception as exc:  # an unavailable model must not keep the server down
            log.warning("preloading %s failed: %s", spec.id, exc)
        if loaded is not None:
            loaded(spec.id, done)


def create_app(
    settings: Settings, services: Services | None = None, preload_progress: PreloadProgress | None = None
) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.ready = False
        app.state.startup_phase = "opening database"
        built: Services = services if services is not None else await asyncio.to_thread(build_services, settings)
        app.state.services = built
        first = await asyncio.to_thread(issue_first_admin_key, built.db, built.keys)
        configured = settings.admin_password.get_secret_value() if settings.admin_password else None
        password = await asyncio.to_thread(provision_admin_password, built.db, configured)
        app.state.session_codec = await asyncio.to_thread(codec_for, settings, built.db)
        built.usage.start()
        revocations = RevocationEvents(settings.redis_url, built.keys) if settings.redis_url else None
        if revocations is not None:
            revocations.start()
        await built.engine.start()
        # Experiments left running by a previous process are claimed and resumed here.
        app.state.experiment_runner = runner_for_services(built)
        app.state.experiments = ExperimentService(app.state.experiment_runner, built.catalog, settings)
        await app.state.experiment_runner.start()
        announce(settings, first.secret if first else None, password)
        preload = asyncio.create_task(preload_models(built, app, preload_progress)) if settings.preload else None

        async def become_ready() -> None:
            if preload is not None:
                await preload
            app.state.ready = True
            app.state.startup_phase = "ready"

        readiness = asyncio.create_task(become_ready())
        try:
            yield
        finally:
            app.state.ready = False
            readiness.cancel()
            await app.state.experiment_runner.stop()
            await built.engine.stop()
            if revocations is not None:
                await revocations.stop()
            await built.limiter.close()
            await asyncio.to_thread(built.close)

    app = FastAPI(
        title="typeserve",
        version=__version__,
        lifespan=lifespan,
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    install_api(app)
    # The clients people already have: Hugging Face's, OpenAI's and Open Inference Protocol ones.
    for compat in (hf_routes, openai_routes, v2_routes):
        app.include_router(compat.router)
    install_console(app)
    return app


def create_asgi(
    settings: Settings, services: Services | None = None, preload_progress: PreloadProgress | None = None
) -> ASGIApp:
    """The server's ASGI application: request ids around everything, the rate-limit headers of
    whatever a request was charged, and the invoke route served directly ahead of FastAPI's
    middleware and routing (the hot path)."""
    app = LimitHeadersMiddleware(InvokeEndpoint(create_app(settings, services, preload_progress)))
    return RequestIdMiddleware(BodyDeadlines(app, settings.body_timeout_s, settings.body_deadline_s))
