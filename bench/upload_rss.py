#!/usr/bin/env python
"""Benchmark (#22): the memory a 100 MB upload costs the web worker.

Starts the real server (``manage.py runserver``, one process, the embedded database in
a temporary folder, ``ATTACHMENT_MAX_BYTES`` raised to 200 MB), signs a sponsor in,
asks once for a small page (the worker warm), reads its resident memory, uploads a
100 MB text file as ``multipart/form-data`` streamed from disk, and prints the worker's
peak RSS (``VmHWM``) above the warm idle one. Target: under 80 MB (the upload streams
to a temporary file and from there to the storage; nothing holds the whole file).

    python bench/upload_rss.py [--megabytes 100]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=100)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="zuwendo-upload-bench-"))
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "REDIS_URL": "",
        "ATTACHMENT_SCAN": "off",
        "ATTACHMENT_MAX_BYTES": str(200 * 1024 * 1024),
        "ATTACHMENT_MAX_TOTAL": str(400 * 1024 * 1024),
        "TMPDIR": str(folder),
    }
    python = sys.executable
    for command in (["migrate", "--no-input", "-v0"], ["seed_demo"]):
        subprocess.run(  # noqa: S603 (our own manage.py)
            [python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [python, "manage.py", "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        token = httpx.post(
            f"{base}/api/auth/token/",
            json={"username": "traeger.koblenz", "password": "zuwendo-demo"},
        ).json()["token"]
        headers = {"Authorization": f"Token {token}"}
        drafts = httpx.get(f"{base}/api/applications/?state=draft", headers=headers).json()
        application = drafts["results"][0]["id"]
        idle = _kib(server.pid, "VmRSS")
        payload = folder / "big.txt"
        line = b"Teilnehmendenliste der Workshops im Jugendzentrum (Demo) Seite fortlaufend\n"
        with payload.open("wb") as out:
            for _ in range(args.megabytes * 1024 * 1024 // len(line)):
                out.write(line)
        size = payload.stat().st_size
        started = time.monotonic()
        with payload.open("rb") as handle:
            response = httpx.post(
                f"{base}/api/applications/{application}/attachments/",
                headers=headers,
                files={"file": ("Teilnehmende.txt", handle, "text/plain")},
                data={"kind": "other"},
                timeout=600,
            )
        seconds = time.monotonic() - started
        peak = _kib(server.pid, "VmHWM")
        if response.status_code != 201:
            raise SystemExit(f"upload answered {response.status_code}: {response.text[:300]}")
        above = (peak - idle) / 1024
        stored = response.json()["size"]
        print(
            f"upload of {size / 1024 / 1024:.0f} MB (stored {stored / 1024 / 1024:.0f} MB): "
            f"{response.status_code} in {seconds:.1f} s"
        )
        print(f"worker RSS idle {idle / 1024:.0f} MB, peak {peak / 1024:.0f} MB")
        print(
            f"peak above idle: {above:.1f} MB (target < 80 MB): {'met' if above < 80 else 'MISSED'}"
        )
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
