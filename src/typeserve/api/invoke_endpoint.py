"""The invoke route as plain ASGI, ahead of the framework: `POST /v1/ent/...` skips FastAPI's
middleware stack, routing and dependency solving, which cost more than a cheap model. Every
other path goes on to the FastAPI app. Failures still become problem+json here."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy.exc import OperationalError
from starlette.types import Receive, Scope, Send

from typeserve.api.invoke import INVOKE_PREFIX, invoke
from typeserve.api.problems import render
from typeserve.errors import Problem, database_busy, internal_error, method_not_allowed

log = logging.getLogger("typeserve.api")


class InvokeEndpoint:
    def __init__(self, app: FastAPI) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(INVOKE_PREFIX):
            await self.app(scope, receive, send)
            return
        scope["app"] = self.app  # what FastAPI would set: request.app.state.services
        request = Request(scope, receive)
        response: Response
        if scope["method"] != "POST":
            problem = method_not_allowed("Models are invoked with POST.", allow="POST")
            response = render(problem, request)
        else:
            try:
                response = await invoke(scope["path"][len(INVOKE_PREFIX) :], request)
            except Problem as problem:
                response = render(problem, request)
            except OperationalError as exc:  # a locked or unreachable database passes
                log.warning("database unavailable invoking %s: %s", scope["path"], exc.orig)
                response = render(database_busy(), request)
            except Exception as exc:
                log.error("unhandled error invoking %s", scope["path"], exc_info=exc)
                failure = internal_error()
                response = render(failure, request)
        await response(scope, receive, send)
