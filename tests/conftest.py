"""Fixtures: a real server per test session (and per test where a test needs its own
settings), test data made on the spot, and the database backends the store runs on."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.server import LiveServer, start_server
from tests.support.services import fresh_postgres_database


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server on the default catalog, shared by the tests that do not change settings."""
    live = start_server(tmp_path_factory.mktemp("server-data"))
    assert live.admin_key, f"the first start printed no admin key:\n{live.log}"
    yield live
    live.stop()


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Start servers with their own settings; all are stopped after the test."""
    started: list[LiveServer] = []

    def make(env: dict[str, str] | None = None, args: tuple[str, ...] = (), data_dir: Path | None = None) -> LiveServer:
        live = start_server(data_dir or tmp_path / f"data{len(started)}", env, args)
        started.append(live)
        return live

    yield make
    for live in started:
        live.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each store test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'typeserve.db'}"
    else:
        with fresh_postgres_database() as url:
            yield url


@pytest.fixture(scope="session")
def astronaut_jpeg() -> bytes:
    """scikit-image's `astronaut` (Eileen Collins): one frontal face."""
    import skimage.data
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(skimage.data.astronaut()).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()
