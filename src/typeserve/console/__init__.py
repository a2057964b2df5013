"""The web console served at `/`: sign-in, model explorer, model cards with the Developer
Toolbox, API keys, experiments and usage. Server-rendered pages (Jinja2, autoescaped) plus a little plain
JavaScript from static/, all served by this package (no CDN, no build step)."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from typeserve.console import auth_routes, experiment_routes, key_routes, model_routes, sample_media, usage_routes
from typeserve.console.pages import install_page_handlers


def install_console(app: FastAPI) -> None:
    static_dir = resources.files("typeserve.console").joinpath("static")
    app.mount("/console/static", StaticFiles(directory=str(static_dir)), name="console-static")
    for module in (auth_routes, sample_media, model_routes, key_routes, experiment_routes, usage_routes):
        app.include_router(module.router)
    install_page_handlers(app)
