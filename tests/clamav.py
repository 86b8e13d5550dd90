"""A real ClamAV daemon for the tests that scan (Debian's clamav-daemon, which CI
installs). No signatures can be downloaded here: the daemon gets a database of its own,
one ``.hdb`` line with the EICAR test file's MD5. Without the clamd binary a test that
asks for it fails in CI and is skipped, saying so, on a developer's machine."""

import hashlib
import os
import shutil
import socket
import subprocess
import time

import pytest

from core import clamd

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
CLAMD = shutil.which("clamd") or ("/usr/sbin/clamd" if os.path.exists("/usr/sbin/clamd") else None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def daemon(tmp_path_factory):
    if CLAMD is None:
        if os.environ.get("CI"):
            pytest.fail("clamd is not installed: .ci/run installs clamav-daemon")
        pytest.skip("clamd (Debian's clamav-daemon) is not installed on this machine")
    folder = tmp_path_factory.mktemp("clamd")
    (folder / "db").mkdir()
    digest = hashlib.md5(EICAR, usedforsecurity=False).hexdigest()
    (folder / "db" / "zuwendo-test.hdb").write_text(f"{digest}:{len(EICAR)}:Zuwendo-Test-EICAR\n")
    port = free_port()
    config = folder / "clamd.conf"
    config.write_text(
        "Foreground yes\n"
        f"TCPSocket {port}\nTCPAddr 127.0.0.1\n"
        f"DatabaseDirectory {folder / 'db'}\n"
        f"PidFile {folder / 'clamd.pid'}\n"
        "StreamMaxLength 25M\n"
    )
    process = subprocess.Popen(  # noqa: S603 (Debian's clamd, a config of the test's)
        [CLAMD, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"tcp://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not clamd.ping(url):
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail("clamd did not start")
        time.sleep(0.2)
    yield {"url": url, "process": process}
    process.terminate()
    process.wait(timeout=20)
