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


# Every wait below has this bound, so a loaded machine makes the test slow, never hang for ever:
# a bound against waiting on something that will not come, not a claim about speed.
PATIENCE = 120  # seconds


def waited(condition, what: str) -> None:
    """Return once condition() holds; fail saying what never came, after PATIENCE seconds."""
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {PATIENCE} s for {what}")
        time.sleep(0.02)


def stopped(server: subprocess.Popen, sig: int) -> None:
    """Send the signal to the server's master and workers and wait for the master to go; killed if it will not."""
    os.killpg(server.pid, sig)
    try:
        server.wait(timeout=PATIENCE)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
        pytest.fail(f"gunicorn did not stop within {PATIENCE} s of signal {sig}")


@pytest.mark.skipif(not ON_SQLITE, reason="SQLite's durability and integrity_check; PostgreSQL guarantees its own")
def test_sigkill_during_writes_loses_no_acknowledged_row(tmp_path):
    database = tmp_path / "live.sqlite"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "GOALSAPP_SECRET_KEY": os.urandom(16).hex()}
    flask = [str(BIN / "flask"), "--app", "goalsapp"]
    subprocess.run([*flask, "init-db", "--demo"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=PATIENCE)
    subprocess.run([*flask, "create-user", "writer", "--role", "管理员", "--password", "writer-pass-1"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=PATIENCE)

    port = free_port()
    server = start_server(env, port)
    acknowledged: list[str] = []
    failed: list[str] = []  # why a writer stopped before the server was killed
    stop = threading.Event()
    killed = threading.Event()

    def write(number: int):
        client = WebClient(f"http://127.0.0.1:{port}", timeout=PATIENCE)  # a busy worker may take its time
        try:
            client.log_in("writer", "writer-pass-1")
            for n in range(100_000):
                if stop.is_set():
                    return
                name = f"写入{number}-{n}"
                if client.add_row(1 + number % 5, name) == 200:
                    acknowledged.append(name)
        except (OSError, HTTPException, RuntimeError) as error:
            if not killed.is_set():
                failed.append(f"写入{number}: {error!r}")
            # else the server died mid-answer: this write was never acknowledged

    writers = [threading.Thread(target=write, args=(number,)) for number in range(4)]
    for writer in writers:
        writer.start()
    try:
        waited(lambda: len(acknowledged) >= 150 or not any(writer.is_alive() for writer in writers), "150 acknowledged writes")
        assert len(acknowledged) >= 150, f"the writers stopped after {len(acknowledged)} acknowledged writes: {failed}"
    finally:
        killed.set()
        stopped(server, signal.SIGKILL)  # master and workers, mid-write
        closed(port)
        stop.set()
        for writer in writers:
            writer.join(timeout=PATIENCE)
    assert not any(writer.is_alive() for writer in writers), f"a writer still waits for an answer {PATIENCE} s after the kill"

    server = start_server(env, port)
    try:
        client = WebClient(f"http://127.0.0.1:{port}", timeout=PATIENCE)
        client.log_in("writer", "writer-pass-1")
        status, page = client.request("GET", "/sheets/1")
        assert status == 200 and acknowledged[0].startswith("写入")
    finally:
        stopped(server, signal.SIGTERM)

    with closing(sqlite3.connect(database)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {name for (name,) in connection.execute("SELECT name FROM indicator WHERE name LIKE '写入%'")}
    assert len(acknowledged) >= 150
    assert set(acknowledged) <= stored  # every acknowledged write survived
