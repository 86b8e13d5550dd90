"""Concurrent writers on a real server: the embedded SQLite default behaves like
PostgreSQL (CONTRACT.md, "Errors": one wins, the others get 409 or their own correct
answer, never a 500).

Each run starts ``manage.py runserver`` (what ``make run`` serves) in a subprocess on a
database of its own, loads the demo, and fires real threads at it over HTTP. The
PostgreSQL run needs DATABASE_URL (CI).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Barrier

import pytest

from tests.conftest import DATABASE_URL, ON_POSTGRES

ROOT = Path(__file__).resolve().parents[2]
SPONSOR = ("traeger.koblenz", "zuwendo-demo")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_database(name: str) -> str:
    import psycopg

    base = DATABASE_URL.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


class Server:
    def __init__(self, base: str) -> None:
        self.base = base

    def call(self, method: str, path: str, body=None, token: str | None = None):
        request = urllib.request.Request(
            self.base + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Accept-Language": "en"},
        )
        if token:
            request.add_header("Authorization", f"Token {token}")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                return error.code, json.loads(raw)
            except ValueError:
                return error.code, raw.decode(errors="replace")[:200]

    def token(self, username: str, password: str) -> str:
        status, body = self.call(
            "POST", "/api/auth/token/", {"username": username, "password": password}
        )
        assert status == 200, body
        return body["token"]


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def server(request, tmp_path_factory):
    if request.param == "postgres":
        if not ON_POSTGRES:
            pytest.skip("needs DATABASE_URL=postgres://… (CI sets it)")
        url = _postgres_database("zuwendo_concurrent_writers")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('embedded') / 'db.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "1",
        "REDIS_URL": "",
        "SECRET_KEY": "tests-only-not-a-secret",
        "PYTHONUNBUFFERED": "1",
    }
    python = sys.executable
    for command in (["migrate", "--no-input", "-v0"], ["seed_demo"]):
        subprocess.run(
            [python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    port = _free_port()
    process = subprocess.Popen(
        [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    running = Server(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if running.call("GET", "/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("the server did not start")
    yield running
    process.terminate()
    process.wait(timeout=10)


def _race(count: int, request):
    """``count`` threads released at once, each making one request."""
    barrier = Barrier(count)

    def one(index: int):
        barrier.wait()
        return request(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def _own_application(server: Server, token: str, state: str) -> int:
    status, page = server.call("GET", f"/api/applications/?state={state}", token=token)
    assert status == 200 and page["results"], page
    return page["results"][0]["id"]


def test_concurrent_patches_each_win_or_conflict_and_one_of_them_is_stored(server):
    token = server.token(*SPONSOR)
    pk = _own_application(server, token, "draft")
    titles = [f"Gleichzeitige Änderung {index}" for index in range(10)]

    answers = _race(
        10, lambda i: server.call("PATCH", f"/api/applications/{pk}/", {"title": titles[i]}, token)
    )

    statuses = [status for status, _ in answers]
    print(f"\n10 concurrent PATCHes: {sorted(statuses)}")
    assert set(statuses) <= {200, 409}, answers
    status, stored = server.call("GET", f"/api/applications/{pk}/", token=token)
    assert status == 200 and stored["title"] in titles


def test_concurrent_withdrawals_one_wins_the_rest_conflict(server):
    token = server.token(*SPONSOR)
    pk = _own_application(server, token, "submitted")

    answers = _race(
        15,
        lambda i: server.call("POST", f"/api/applications/{pk}/transitions/withdraw/", {}, token),
    )

    statuses = sorted(status for status, _ in answers)
    print(f"\n15 concurrent withdrawals: {statuses}")
    assert statuses == [200] + [409] * 14, answers
    assert all(
        body["code"] == "transition_not_allowed" for status, body in answers if status == 409
    )
    status, history = server.call("GET", f"/api/applications/{pk}/history/", token=token)
    assert status == 200
    assert [entry["action"] for entry in history].count("withdraw") == 1
