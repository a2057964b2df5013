"""No request can hurt anyone else's: the issue-12 cases that need their own arrangement
(a held database lock, a slow model, stalled clients, concurrent password guesses, secrets on
disk, a `kill -9` under load, guessed keys, scope escalation), each against a live server."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import sqlite3
import stat
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.support.liveness import assert_still_answers_at_once
from tests.support.server import LiveServer, start_server

VADER = "/v1/ent/vader/1/sentiment"
SUMMA = "/v1/ent/summa/1/textrank"
ADMIN_PASSWORD = "admin-password-12"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)">')
WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "theta",
    "kappa",
    "lambda",
    "sigma",
    "omega",
    "river",
    "stone",
    "cloud",
    "apple",
]


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server with short read deadlines, a short inference deadline and a known admin password."""
    env = {
        "TYPESERVE_HEADER_TIMEOUT_S": "3",
        "TYPESERVE_BODY_TIMEOUT_S": "3",
        "TYPESERVE_INFERENCE_TIMEOUT_S": "6",
        "TYPESERVE_DATABASE_BUSY_TIMEOUT_S": "2",
        "TYPESERVE_ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    live = start_server(tmp_path_factory.mktemp("guarded"), env)
    assert live.admin_key
    yield live
    live.stop()


def metric(server: LiveServer, name: str) -> float:
    text = httpx.get(f"{server.base_url}/metrics", timeout=10).text
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(name))


# --- case 7: scopes -----------------------------------------------------------------------


def test_a_key_never_grants_or_revokes_more_than_it_has(guarded: LiveServer) -> None:
    with guarded.client() as admin:
        manager = admin.post("/v1/apikeys", json={"name": "manager", "scopes": ["keys:manage"]}).json()
    with guarded.client(manager["secret"]) as client:
        for body in ({"name": "a", "scopes": []}, {"name": "b"}, {"name": "c", "scopes": ["invoke", "invoke"]}):
            refused = client.post("/v1/apikeys", json=body)
            assert refused.status_code == 403, (body, refused.text)
            assert refused.headers["content-type"].startswith("application/problem+json")
        same = client.post("/v1/apikeys", json={"name": "d", "scopes": ["keys:manage", "keys:manage"]})
        assert same.status_code == 201 and same.json()["scopes"] == ["keys:manage"], same.text
        # The first admin key belongs to the same user but holds `admin`: not this key's to revoke.
        admin_id = guarded.admin_key.split("_")[1]  # type: ignore[union-attr]
        assert client.delete(f"/v1/apikeys/{admin_id}").status_code == 403
        assert client.delete(f"/v1/apikeys/{same.json()['id']}").status_code == 200
        assert client.post(VADER, json={"input": "no invoke scope"}).status_code == 403


# --- case 8: database work off the event loop ---------------------------------------------


def test_a_held_database_lock_stalls_nobody_else_and_ends_in_503(guarded: LiveServer) -> None:
    with guarded.client() as client:
        assert_still_answers_at_once(client)  # the admin key is now cached
        database = sqlite3.connect(guarded.data_dir / "typeserve.db", timeout=1)
        database.execute("BEGIN IMMEDIATE")  # the write lock, held by someone else
        try:
            with ThreadPoolExecutor(1) as pool:
                creating = pool.submit(client.post, "/v1/apikeys", json={"name": "while locked"})
                time.sleep(0.3)
                assert not creating.done()
                assert_still_answers_at_once(client)
                assert httpx.get(f"{guarded.base_url}/healthz", timeout=1).status_code == 200
                answer = creating.result(timeout=30)
        finally:
            database.rollback()
            database.close()
    assert answer.status_code == 503, answer.text
    assert answer.json()["code"] == "database_busy" and answer.headers["retry-after"]


# --- case 9: work past its deadline -------------------------------------------------------


def test_a_model_call_past_its_deadline_is_stopped_and_the_next_calls_are_served(guarded: LiveServer) -> None:
    import random

    rng = random.Random(9)
    sentences = " ".join(" ".join(rng.choices(WORDS, k=8)).capitalize() + "." for _ in range(2000))
    with guarded.client() as client:
        warm = client.post(SUMMA, json={"input": "One short text. It has two sentences."})
        assert warm.status_code == 200, warm.text
        overrun = client.post(SUMMA, json={"input": sentences})
        assert overrun.status_code == 504, overrun.text
        assert overrun.json()["code"] == "inference_timeout"
        assert_still_answers_at_once(client)
        for _ in range(3):
            after = client.post(SUMMA, json={"input": "Cats sleep a lot. Cats also purr. Dogs bark."})
            assert after.status_code == 200, after.text


# --- case 13: stalled clients -------------------------------------------------------------


def raw_connection(server: LiveServer) -> socket.socket:
    host, port = server.base_url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=15)
    return sock


def read_until_closed(sock: socket.socket) -> bytes:
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def test_a_body_that_stalls_is_answered_408(guarded: LiveServer) -> None:
    with raw_connection(guarded) as sock:
        head = (
            f"POST {VADER} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 19000000\r\n"
            f"Authorization: Bearer {guarded.admin_key}\r\n\r\n"
        )
        sock.sendall(head.encode() + b'{"input": "' + b"a" * 1024)
        answer = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:300]
    assert b"application/problem+json" in answer and b"request_timeout" in answer


def test_unfinished_headers_are_closed_and_do_not_crowd_out_others(guarded: LiveServer) -> None:
    stalled = [raw_connection(guarded) for _ in range(300)]
    try:
        for sock in stalled:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        with guarded.client() as client:
            assert_still_answers_at_once(client)
        answers = [read_until_closed(sock) for sock in stalled]
    finally:
        for sock in stalled:
            sock.close()
    assert all(answer.startswith(b"HTTP/1.1 408") for answer in answers), {a[:40] for a in answers}


# --- case 14: sign-in throttle ------------------------------------------------------------


def sign_in(client: httpx.Client, password: str) -> httpx.Response:
    csrf = CSRF_META.search(client.get("/signin").text)
    assert csrf
    return client.post("/signin", data={"username": "admin", "password": password, "csrf_token": csrf.group(1)})


def test_concurrent_guesses_are_counted_up_front_and_never_lock_out_the_real_admin(guarded: LiveServer) -> None:
    with httpx.Client(base_url=guarded.base_url, timeout=60) as browser:
        assert sign_in(browser, ADMIN_PASSWORD).status_code == 303  # this browser is now known
        browser.cookies.delete("typeserve_session")

        attackers = [httpx.Client(base_url=guarded.base_url, timeout=60) for _ in range(64)]
        try:
            forms = [CSRF_META.search(a.get("/signin").text).group(1) for a in attackers]  # type: ignore[union-attr]
            barrier = threading.Barrier(len(attackers))

            def guess(index: int) -> int:
                barrier.wait()
                data = {"username": "admin", "password": f"guess-{index}", "csrf_token": forms[index]}
                return attackers[index].post("/signin", data=data).status_code

            with ThreadPoolExecutor(len(attackers)) as pool:
                statuses = list(pool.map(guess, range(len(attackers))))
            assert statuses.count(401) <= 5, statuses
            assert set(statuses) <= {401, 429}
            # A stranger, even with the right password, waits now...
            assert sign_in(attackers[0], ADMIN_PASSWORD).status_code == 429
        finally:
            for attacker in attackers:
                attacker.close()
        # ...but the admin's own browser signs in.
        assert sign_in(browser, ADMIN_PASSWORD).status_code == 303


# --- case 15: secrets on disk -------------------------------------------------------------


def test_the_session_secret_is_a_private_file_and_the_data_dir_is_private(guarded: LiveServer) -> None:
    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(guarded.data_dir) == 0o700
    assert mode(guarded.data_dir / "typeserve.db") == 0o600
    assert mode(guarded.data_dir / "session-secret") == 0o600
    with sqlite3.connect(guarded.data_dir / "typeserve.db") as database:
        assert database.execute("SELECT count(*) FROM settings WHERE key LIKE '%secret%'").fetchone() == (0,)


# --- case 16 (and 15 again): kill -9 under load, then a restart ------------------------------


def test_every_answered_request_has_its_usage_row_after_kill_9(tmp_path: Path) -> None:
    """Also, across the restart: a session secret planted in the database signs nothing."""
    from itsdangerous import URLSafeTimedSerializer

    server = start_server(tmp_path)
    answered: list[str] = []
    stop = threading.Event()

    def traffic() -> None:
        with server.client(timeout=30) as client:
            while not stop.is_set():
                try:
                    response = client.post(VADER, json={"input": "metered, then killed"})
                except httpx.HTTPError:
                    if not server.alive():
                        return
                    continue
                if response.status_code == 200:
                    answered.append(response.headers["x-request-id"])

    with server.client() as client:
        assert client.post(VADER, json={"input": "loaded"}).status_code == 200
    threads = [threading.Thread(target=traffic) for _ in range(32)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 20
    while len(answered) < 300 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait(10)
    stop.set()
    for thread in threads:
        thread.join(15)
    assert len(answered) > 100, len(answered)
    with sqlite3.connect(tmp_path / "typeserve.db") as database:
        database.execute("INSERT INTO settings (key, value) VALUES ('console_session_secret', 'leaked-secret')")
    forged = URLSafeTimedSerializer("leaked-secret", salt="typeserve-console-session").dumps({"u": 1, "c": "x", "e": 0})

    restarted = start_server(tmp_path)
    try:
        page = httpx.get(f"{restarted.base_url}/apikeys", cookies={"typeserve_session": forged}, timeout=10)
        assert page.status_code == 303 and page.headers["location"].startswith("/signin"), page.status_code
        stored: set[str] = set()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with sqlite3.connect(tmp_path / "typeserve.db") as database:
                stored = {row[0] for row in database.execute("SELECT request_id FROM usage_events")}
            if set(answered) <= stored:
                break
            time.sleep(0.2)
        missing = set(answered) - stored
        assert not missing, f"{len(missing)} of {len(answered)} answered requests have no usage row"
    finally:
        restarted.stop()
    with sqlite3.connect(tmp_path / "typeserve.db") as database:
        assert database.execute("SELECT count(*) FROM settings WHERE key = 'console_session_secret'").fetchone() == (0,)
        stored_ids = [row[0] for row in database.execute("SELECT request_id FROM usage_events")]
    assert len(stored_ids) == len(set(stored_ids)), "a replayed row was stored twice"


# --- case 17: guessed keys ----------------------------------------------------------------


def test_guessed_keys_cost_no_database_lookup_each(guarded: LiveServer) -> None:
    before = metric(guarded, "typeserve_key_lookups_total")

    def guesses(count: int) -> list[int]:
        with httpx.Client(base_url=guarded.base_url, timeout=30) as client:
            return [
                client.post(
                    VADER,
                    json={"input": "x"},
                    headers={"Authorization": f"Bearer tsk_{secrets.token_hex(6)}_{secrets.token_urlsafe(32)}"},
                ).status_code
                for _ in range(count)
            ]

    started = time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        statuses = [status for batch in pool.map(guesses, [250] * 4) for status in batch]
    seconds = time.monotonic() - started
    assert set(statuses) == {401}
    lookups = metric(guarded, "typeserve_key_lookups_total") - before
    # A few lookups until the server sees it is being guessed at, then one snapshot of the known
    # key ids per cache interval (1 s): not one lookup per guess.
    assert lookups <= 10 + seconds + 2, (lookups, seconds)
