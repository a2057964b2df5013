"""Starting the server as an operator would: first start, restarts, PostgreSQL, fallbacks."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

import httpx

from tests.support.http import VADER
from tests.support.server import KEY_PATTERN, LiveServer
from tests.support.services import fresh_postgres_database


def test_first_key_is_printed_once_and_never_logged(make_server: Callable[..., LiveServer], tmp_path) -> None:
    first = make_server(data_dir=tmp_path / "data")
    assert first.admin_key
    assert "http://" in first.log and "serving at" in first.log
    with first.client() as client:
        assert client.post(VADER, json={"input": "great"}).status_code == 200
    first.stop()
    second = make_server(data_dir=tmp_path / "data")
    assert second.admin_key is None and not KEY_PATTERN.search(second.log)
    with second.client(first.admin_key) as client:  # the first key still works after a restart
        assert client.post(VADER, json={"input": "great"}).status_code == 200


def test_usage_is_recorded_off_the_request_path(make_server: Callable[..., LiveServer], tmp_path) -> None:
    live = make_server(data_dir=tmp_path / "data")
    with live.client() as client:
        for _ in range(5):
            client.post(VADER, json={"input": "fine"})
        client.post(VADER, json={"input": 5})
    rows: list[tuple[int]] = []
    for _ in range(50):  # the writer flushes every half second
        with sqlite3.connect(tmp_path / "data" / "typeserve.db") as db:
            rows = db.execute("SELECT status FROM usage_events WHERE model_id = 'vader/1/sentiment'").fetchall()
        if len(rows) >= 6:
            break
        time.sleep(0.1)
    assert sorted(status for (status,) in rows) == [200] * 5 + [422]


def test_server_on_postgresql(make_server: Callable[..., LiveServer]) -> None:
    with fresh_postgres_database() as url:
        live = make_server(env={"TYPESERVE_DATABASE_URL": url})
        assert live.admin_key
        with live.client() as client:
            assert client.post(VADER, json={"input": "lovely"}).json()["labels"][0]["label"] == "POSITIVE"
            created = client.post("/v1/apikeys", json={"name": "pg"}).json()
        assert (
            httpx.post(
                live.base_url + VADER, json={"input": "x"}, headers={"Authorization": f"Bearer {created['secret']}"}
            ).status_code
            == 200
        )
        live.stop()


def test_gpuflex_fallback_reports_the_tier_that_served(make_server: Callable[..., LiveServer]) -> None:
    live = make_server(env={"TYPESERVE_GPUFLEX_FALLBACK": "cpuflex"})
    with live.client() as client:
        response = client.post(f"{VADER}?serviceTier=gpuflex", json={"input": "x"})
    assert response.status_code == 200
    assert response.headers["X-Service-Tier"] == "cpuflex"
