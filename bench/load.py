"""Load run: many simulated users editing rows and printing, against gunicorn on loopback.

    make load                       # or: .venv/bin/python -m bench.load [--users 16] [--seconds 20]

Each user logs in, then until time is up: adds a row, edits it, opens the editor, prints.
Reports requests per second, median and 95th percentile latency and errors (must be 0),
then checks that every row the server acknowledged is in the database.
"""
import argparse
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing
from http.client import HTTPException
from pathlib import Path

from .webclient import WebClient

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def serve(env: dict, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", str(workers), "--threads", "4", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            WebClient(f"http://127.0.0.1:{port}", timeout=1).request("GET", "/login")
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def simulate(number: int, base: str, deadline: float, timings: list, errors: list, acknowledged: list) -> None:
    client = WebClient(base)
    client.log_in(f"user{number}", "load-password-1")
    step = 0
    while time.monotonic() < deadline:
        sheet = random.randint(1, 5)
        name = f"负载{number}-{step}"
        for method, path, data in (
            ("POST", f"/sheets/{sheet}/indicators", {"level1": "产出指标", "level2": "数量指标", "name": name, "value": "1个", "standard": "计划标准"}),
            ("GET", f"/sheets/{sheet}", None),
            ("GET", f"/sheets/{sheet}/print", None),
        ):
            started = time.perf_counter()
            try:
                status, body = client.request(method, path, data, htmx=method == "POST")
            except (OSError, HTTPException) as error:
                errors.append(f"{method} {path}: {error}")
                continue
            timings.append(time.perf_counter() - started)
            if status != 200:
                errors.append(f"{method} {path}: {status}")
            elif method == "POST":
                acknowledged.append(name)
        step += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=5099)
    parser.add_argument("--markdown", type=Path, help="also write the results here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "load.sqlite"
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "GOALSAPP_SECRET_KEY": os.urandom(16).hex()}
        flask = [str(BIN / "flask"), "--app", "goalsapp"]
        subprocess.run([*flask, "init-db", "--demo"], cwd=ROOT, env=env, check=True, capture_output=True)
        for number in range(args.users):
            subprocess.run([*flask, "create-user", f"user{number}", "--role", "管理员", "--password", "load-password-1"],
                           cwd=ROOT, env=env, check=True, capture_output=True)
        server = serve(env, args.port, args.workers)
        timings, errors, acknowledged = [], [], []
        try:
            deadline = time.monotonic() + args.seconds
            started = time.monotonic()
            users = [threading.Thread(target=simulate, args=(n, f"http://127.0.0.1:{args.port}", deadline, timings, errors, acknowledged))
                     for n in range(args.users)]
            for user in users:
                user.start()
            for user in users:
                user.join()
            elapsed = time.monotonic() - started
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()
        with closing(sqlite3.connect(database)) as connection:
            stored = {name for (name,) in connection.execute("SELECT name FROM indicator WHERE name LIKE '负载%'")}
            intact = connection.execute("PRAGMA integrity_check").fetchone()[0]
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1] if timings else 0
        missing = set(acknowledged) - stored
        print(f"users {args.users}  seconds {elapsed:.1f}  gunicorn workers {args.workers}×4 threads")
        print(f"requests {len(timings)}  per_second {len(timings) / elapsed:.1f}  "
              f"median_ms {statistics.median(timings) * 1000:.1f}  p95_ms {p95 * 1000:.1f}  errors {len(errors)}")
        print(f"acknowledged_writes {len(acknowledged)}  missing_after {len(missing)}  integrity {intact}")
        for error in errors[:10]:
            print("  error:", error)
        if args.markdown:
            args.markdown.write_text(
                f"# Load run\n\n`make load` on {time.strftime('%Y-%m-%d')}: {args.users} simulated users for {elapsed:.0f} s against "
                f"gunicorn ({args.workers} workers × 4 threads) on loopback, SQLite in WAL mode. Each user adds a row, opens the "
                f"editor and prints, over and over.\n\n"
                f"| requests | per second | median ms | 95th percentile ms | errors | acknowledged writes | missing afterwards | integrity_check |\n"
                f"|---|---|---|---|---|---|---|---|\n"
                f"| {len(timings)} | {len(timings) / elapsed:.1f} | {statistics.median(timings) * 1000:.1f} | {p95 * 1000:.1f} | "
                f"{len(errors)} | {len(acknowledged)} | {len(missing)} | {intact} |\n\n"
                f"The machine has 2 cores and runs the simulated users too, so these are the app's numbers under contention, "
                f"not a server's capacity. Writes serialize on SQLite's single writer; the busy timeout makes them wait their turn "
                f"instead of failing.\n"
            )
        if errors or missing or intact != "ok":
            raise SystemExit(1)


if __name__ == "__main__":
    main()
