"""GET /v1/usage, `typeserve usage` and the console's pages against a live server: the numbers
equal the requests the test sent (per key, per model, per day; JSON and CSV), and the API Keys
page shows each key's use of its quota."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable

import httpx

from tests.support.server import LiveServer

VADER = "/v1/ent/vader/1/sentiment"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)">')


def send(live: LiveServer, key: str, bodies: list[object]) -> list[int]:
    with live.client(key) as client:
        return [client.post(VADER, json=body).status_code for body in bodies]


def by_group(answer: httpx.Response) -> dict[str, dict[str, object]]:
    assert answer.status_code == 200, answer.text
    return {str(row["group"]): row for row in answer.json()["groups"]}


def test_usage_numbers_equal_the_requests_sent(make_server: Callable[..., LiveServer]) -> None:
    live = make_server(env={"TYPESERVE_KEY_LIMITS": json.dumps({"requestsPerDay": 100})})
    with live.client() as client:
        first = client.post("/v1/apikeys", json={"name": "first"}).json()
        second = client.post("/v1/apikeys", json={"name": "second"}).json()
    # first: 3 single inputs, a list of 4, one invalid body; second: 2 single inputs.
    sent = send(live, first["secret"], [{"input": "good"}] * 3 + [{"input": ["a", "b", "c", "d"]}, {"inptu": "x"}])
    assert sent == [200, 200, 200, 200, 422]
    assert send(live, second["secret"], [{"input": "fine"}] * 2) == [200, 200]

    with live.client() as client:
        keys = by_group(client.get("/v1/usage", params={"groupBy": "key"}))
        models = by_group(client.get("/v1/usage", params={"groupBy": "model"}))
        days = by_group(client.get("/v1/usage", params={"groupBy": "day"}))
        as_csv = client.get("/v1/usage", params={"groupBy": "key"}, headers={"Accept": "text/csv"})
        empty = client.get("/v1/usage", params={"groupBy": "key", "from": "2001-01-01", "to": "2001-02-01"})
        bad = client.get("/v1/usage", params={"groupBy": "key", "from": "yesterday"})
    one, two = keys[first["id"]], keys[second["id"]]
    assert (one["requests"], one["items"], one["errors"]) == (5, 8, 1)
    assert (two["requests"], two["items"], two["errors"]) == (2, 2, 0)
    for row in (one, two):
        assert float(row["computeSeconds"]) > 0  # type: ignore[arg-type]
        assert 0 < float(row["p50Ms"]) <= float(row["p95Ms"])  # type: ignore[arg-type]
    assert (models["vader/1/sentiment"]["requests"], models["vader/1/sentiment"]["items"]) == (7, 10)
    assert sum(int(row["requests"]) for row in days.values()) == 7  # type: ignore[call-overload]
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = {row["group"]: row for row in csv.DictReader(io.StringIO(as_csv.text))}
    assert (rows[first["id"]]["requests"], rows[first["id"]]["items"], rows[first["id"]]["errors"]) == ("5", "8", "1")
    assert empty.json()["groups"] == []
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "from"

    printed = live.cli("usage", "--group-by", "key", "--output", "json")
    from_cli = {row["group"]: row for row in json.loads(printed.stdout)["groups"]}
    assert (from_cli[first["id"]]["requests"], from_cli[first["id"]]["items"]) == (5, 8)

    # The console's API Keys page: the first key used 4 of its 100 requests today.
    password = re.search(r"admin password: (\S+)", live.log)
    assert password, live.log
    with httpx.Client(base_url=live.base_url, timeout=30) as browser:
        form = browser.get("/signin")
        token = CSRF_META.search(form.text)
        assert token
        signed = browser.post(
            "/signin", data={"username": "admin", "password": password.group(1), "csrf_token": token.group(1)}
        )
        assert signed.status_code == 303
        page = browser.get("/apikeys").text
        row = page[page.index(f'data-key-id="{first["id"]}"') :]
        assert "4 of 100 requests per day" in row[: row.index("</tr>")]
        usage_page = browser.get("/usage").text
        assert "Limits and quotas" in usage_page and "of 100 requests per day" in usage_page
