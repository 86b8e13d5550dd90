"""A client for ClamAV's daemon (clamd): the INSTREAM command over TCP or a Unix socket,
in the few lines the protocol needs (``clamd`` on PyPI is unmaintained since 2020;
decision 019). ``scan`` answers the verdict; an unreachable daemon raises ``OSError``
(the task retries), an error reply ``ScanError``."""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlparse

CHUNK = 64 * 1024


class ScanError(Exception):
    """clamd answered, but with an error (e.g. the stream was over its limit)."""


@dataclass(frozen=True)
class Verdict:
    infected: bool
    text: str  # clamd's reply: "OK", or the signature's name ("Eicar-Signature")


def _connect(url: str, timeout: float) -> socket.socket:
    parts = urlparse(url)
    if parts.scheme == "unix":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(parts.path)
        return sock
    if parts.scheme == "tcp":
        return socket.create_connection((parts.hostname, parts.port or 3310), timeout=timeout)
    raise ValueError(f"CLAMD_URL must be tcp://host:port or unix:///path, not {url!r}")


def scan(chunks: Iterable[bytes], url: str, timeout: float = 60) -> Verdict:
    """Stream ``chunks`` to clamd (``zINSTREAM``) and read its verdict."""
    with _connect(url, timeout) as sock:
        sock.sendall(b"zINSTREAM\0")
        for chunk in chunks:
            for start in range(0, len(chunk), CHUNK):
                piece = chunk[start : start + CHUNK]
                sock.sendall(struct.pack("!L", len(piece)) + piece)
        sock.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\0"):
            data = sock.recv(4096)
            if not data:
                break
            reply += data
    text = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    # "stream: OK", "stream: Eicar-Signature FOUND", "INSTREAM size limit exceeded. ERROR"
    body = text.split(":", 1)[1].strip() if text.startswith("stream:") else text
    if body == "OK":
        return Verdict(False, "OK")
    if body.endswith("FOUND"):
        return Verdict(True, body.removesuffix("FOUND").strip())
    raise ScanError(text or "no answer")


def ping(url: str, timeout: float = 5) -> bool:
    try:
        with _connect(url, timeout) as sock:
            sock.sendall(b"zPING\0")
            return sock.recv(16).startswith(b"PONG")
    except OSError:
        return False
