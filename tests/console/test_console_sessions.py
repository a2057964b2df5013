"""Console sessions over plain HTTP: the sign-in form's CSRF check, cookie flags, throttling
of failed sign-ins, `typeserve users create`, and a session standing in for an API key on
the invoke route (only with the CSRF header; metered to the user with no key id)."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import time

import httpx

from tests.support.server import LiveServer

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)">')


def csrf_of(page: httpx.Response) -> str:
    match = CSRF_META.search(page.text)
    assert match and match.group(1), page.text[:500]
    return match.group(1)


def create_user(server: LiveServer, name: str, password: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "typeserve", "users", "create", name, "--password-stdin", *extra],
        input=password + "\n",
        env={**server.env, "TYPESERVE_DATA_DIR": str(server.data_dir)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def signed_in_client(server: LiveServer, name: str, password: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=server.base_url, timeout=30)
    form = client.get("/signin")
    answer = client.post(
        "/signin", data={"username": name, "password": password, "csrf_token": csrf_of(form), "next": "/usage"}
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/usage", answer.text
    return client, csrf_of(client.get("/models"))


def test_users_create_then_sign_in_and_invoke_with_the_session(server: LiveServer) -> None:
    made = create_user(server, "carol", "carol-secret-1")
    assert made.returncode == 0, made.stderr
    again = create_user(server, "carol", "another-secret")
    assert again.returncode == 2 and "exists already" in again.stderr
    short = create_user(server, "dave", "short")
    assert short.returncode == 2 and "at least 8 characters" in short.stderr

    client, csrf = signed_in_client(server, "carol", "carol-secret-1")
    try:
        url = "/v1/ent/vader/1/sentiment"
        without_header = client.post(url, json={"input": "a cookie alone is not enough"})
        assert without_header.status_code == 401, without_header.text
        wrong = client.post(url, json={"input": "nor a wrong token"}, headers={"X-CSRF-Token": "forged"})
        assert wrong.status_code == 401, wrong.text
        ok = client.post(url, json={"input": "I love it"}, headers={"X-CSRF-Token": csrf})
        assert ok.status_code == 200, ok.text
        assert ok.json()["labels"][0]["label"] == "POSITIVE"
        # A Bearer key keeps precedence over the cookie: a bad key is refused even with a session.
        bad_key = client.post(url, json={"input": "x"}, headers={"X-CSRF-Token": csrf, "Authorization": "Bearer nope"})
        assert bad_key.status_code == 401
    finally:
        client.close()

    deadline = time.monotonic() + 10
    rows: list[tuple[object, ...]] = []
    while time.monotonic() < deadline and not rows:
        with sqlite3.connect(server.data_dir / "typeserve.db") as db:
            rows = db.execute(
                "SELECT e.key_id, e.status FROM usage_events e JOIN users u ON u.id = e.user_id "
                "WHERE u.name = 'carol' AND e.status = 200"
            ).fetchall()
        time.sleep(0.2)
    assert rows == [(None, 200)], rows
    # A user who is no admin sees only their own usage: carol's one successful call.
    with httpx.Client(base_url=server.base_url, timeout=30) as browser_like:
        browser_like.cookies.update(client.cookies)
        usage = browser_like.get("/usage")
    assert usage.status_code == 200 and "Your requests" in usage.text
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", usage.text)
    assert cells[:3] == ["vader/1/sentiment", "1", "0"], usage.text


def test_sign_in_form_needs_its_csrf_token_and_sets_safe_cookies(server: LiveServer) -> None:
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        form = client.get("/signin")
        cookie = form.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
        forged = client.post("/signin", data={"username": "admin", "password": "x", "csrf_token": "guess"})
        assert forged.status_code == 400 and "Form expired" in forged.text
        assert "Traceback" not in forged.text
    behind_https = httpx.get(f"{server.base_url}/signin", headers={"X-Forwarded-Proto": "https"})
    assert "secure" in behind_https.headers["set-cookie"].lower()
    # Only paths on this site are followed after sign-in.
    assert 'value="/models"' in httpx.get(f"{server.base_url}/signin?next=//evil.example/").text


def test_repeated_failed_sign_ins_are_throttled(server: LiveServer) -> None:
    assert create_user(server, "erin", "erin-secret-1").returncode == 0
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        csrf = csrf_of(client.get("/signin"))
        for _ in range(5):
            refused = client.post("/signin", data={"username": "erin", "password": "wrong!", "csrf_token": csrf})
            assert refused.status_code == 401 and "Wrong username or password." in refused.text
        # Even the right password waits now.
        locked = client.post("/signin", data={"username": "erin", "password": "erin-secret-1", "csrf_token": csrf})
        assert locked.status_code == 429, locked.text
        assert "Too many failed sign-ins" in locked.text
        assert 0 < int(locked.headers["retry-after"]) <= 30
        # Other users are not locked out by someone guessing erin's password.
        other = client.post("/signin", data={"username": "carol", "password": "wrong!", "csrf_token": csrf})
        assert other.status_code == 401


def test_console_pages_need_a_session(server: LiveServer) -> None:
    for path in ("/models", "/models/vader/1/sentiment", "/apikeys", "/usage"):
        answer = httpx.get(server.base_url + path)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/signin?next=%2F"), answer.headers["location"]
    revoke = httpx.post(f"{server.base_url}/apikeys/abc/revoke", data={"csrf_token": "x"})
    assert revoke.status_code == 303 and revoke.headers["location"].startswith("/signin")


def test_signing_out_or_a_new_password_ends_copied_sessions(server: LiveServer) -> None:
    assert create_user(server, "frank", "frank-secret-1").returncode == 0
    client, csrf = signed_in_client(server, "frank", "frank-secret-1")
    copy = httpx.Client(base_url=server.base_url, timeout=30, cookies=client.cookies)
    try:
        assert copy.get("/apikeys").status_code == 200
        assert client.post("/signout", data={"csrf_token": csrf}).status_code == 303
        # The copied cookie is refused by the pages and by the API.
        assert copy.get("/apikeys").status_code == 303
        invoke = copy.post("/v1/ent/vader/1/sentiment", json={"input": "hi"}, headers={"X-CSRF-Token": csrf})
        assert invoke.status_code == 401
    finally:
        client.close()
        copy.close()

    client, _ = signed_in_client(server, "frank", "frank-secret-1")
    try:
        assert client.get("/apikeys").status_code == 200
        changed = subprocess.run(
            [sys.executable, "-m", "typeserve", "users", "set-password", "frank", "--password-stdin"],
            input="frank-secret-2\n",
            env={**server.env, "TYPESERVE_DATA_DIR": str(server.data_dir)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert changed.returncode == 0, changed.stderr
        assert client.get("/apikeys").status_code == 303
    finally:
        client.close()
    signed_in_client(server, "frank", "frank-secret-2")[0].close()
