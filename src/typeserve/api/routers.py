"""The HTTP API's part of the application: its problem handlers and routers (the invoke
route is served ahead of them by InvokeEndpoint)."""

from __future__ import annotations

from fastapi import FastAPI

from typeserve.api import catalog_routes, experiments_routes, health, keys_routes, operations, toolbox_routes
from typeserve.api.problems import install_problem_handlers


def install_api(app: FastAPI) -> None:
    install_problem_handlers(app)
    # toolbox_routes before catalog_routes: `/v1/models/{id:path}` would match their paths too.
    for module in (health, operations, toolbox_routes, catalog_routes, keys_routes, experiments_routes):
        app.include_router(module.router)
