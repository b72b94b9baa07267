"""Kill the server (SIGKILL) in the middle of a write load: no acknowledged write is lost."""
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from http.client import HTTPException
from pathlib import Path

import pytest

from bench.webclient import WebClient

from .conftest import ON_SQLITE, listening

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "2", "--threads", "4", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    return listening(server, port)


def closed(port: int) -> None:
    """Wait until no process accepts on the port: a killed worker may hold its listening socket
    a moment after the master is reaped, and a connection the kernel hands it is reset."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with closing(socket.socket()) as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"port {port} still accepts connections after the server was killed")


@pytest.mark.skipif(not ON_SQLITE, reason="SQLite's durability and integrity_check; PostgreSQL guarantees its own")
def test_sigkill_during_writes_loses_no_acknowledged_row(tmp_path):
    database = tmp_path / "live.sqlite"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "GOALSAPP_SECRET_KEY": os.urandom(16).hex()}
    flask = [str(BIN / "flask"), "--app", "goalsapp"]
    subprocess.run([*flask, "init-db", "--demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "create-user", "writer", "--role", "管理员", "--password", "writer-pass-1"], cwd=ROOT, env=env, check=True, capture_output=True)

    port = free_port()
    server = start_server(env, port)
    acknowledged: list[str] = []
    stop = threading.Event()

    def write(number: int):
        client = WebClient(f"http://127.0.0.1:{port}", timeout=5)
        client.log_in("writer", "writer-pass-1")
        for n in range(100_000):
            if stop.is_set():
                return
            name = f"写入{number}-{n}"
            try:
                if client.add_row(1 + number % 5, name) == 200:
                    acknowledged.append(name)
            except (OSError, HTTPException):  # the server died mid-answer: this write was never acknowledged
                return

    writers = [threading.Thread(target=write, args=(number,)) for number in range(4)]
    for writer in writers:
        writer.start()
    while len(acknowledged) < 150:
        time.sleep(0.02)
    os.killpg(server.pid, signal.SIGKILL)  # master and workers, mid-write
    server.wait()
    closed(port)
    stop.set()
    for writer in writers:
        writer.join()

    server = start_server(env, port)
    try:
        client = WebClient(f"http://127.0.0.1:{port}")
        client.log_in("writer", "writer-pass-1")
        status, page = client.request("GET", "/sheets/1")
        assert status == 200 and acknowledged[0].startswith("写入")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()

    with closing(sqlite3.connect(database)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {name for (name,) in connection.execute("SELECT name FROM indicator WHERE name LIKE '写入%'")}
    assert len(acknowledged) >= 150
    assert set(acknowledged) <= stored  # every acknowledged write survived
