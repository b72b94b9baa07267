"""`pip install .` (not editable) gives a working app: build the wheel, install it in a fresh
venv, set up a database and serve pages from it, with nothing read from the source tree."""
import os
import re
import shutil
import site
import socket
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from bench.webclient import WebClient

from .conftest import listening

ROOT = Path(__file__).resolve().parent.parent
WHAT_THE_BUILD_READS = ("pyproject.toml", "setup.py", "goalsapp", "templates", "static", "migrations")


def build_wheel(tmp_path: Path) -> Path:
    """The wheel, built from a copy of the tree so no build/ or egg-info lands in the checkout."""
    source = tmp_path / "source"
    source.mkdir()
    for name in WHAT_THE_BUILD_READS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", tmp_path / "dist", source])
    return next((tmp_path / "dist").glob("goalsapp-*.whl"))


def fresh_venv(tmp_path: Path, wheel: Path) -> Path:
    """A venv holding only our wheel; the dependencies come from this venv's site-packages (fast, offline)."""
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", wheel])
    # A plain path line: the directory is searched after the venv's own site-packages, and its
    # .pth files (the checkout's editable install) are not run.
    [purelib] = (venv / "lib").glob("python3*/site-packages")
    (purelib / "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return python


def run(command: list, **kwargs) -> str:
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(python: Path, port: int, **kwargs) -> subprocess.Popen:
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}", "goalsapp:create_app()"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs,
    )
    return listening(server, port)


def test_the_installed_wheel_sets_up_and_serves_the_app(tmp_path):
    python = fresh_venv(tmp_path, build_wheel(tmp_path))
    venv = python.parent.parent
    elsewhere = tmp_path / "elsewhere"  # not the checkout: nothing importable from the working directory
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "GOALSAPP_", "FLASK_"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'installed.sqlite'}"
    here = {"cwd": elsewhere, "env": env}

    location = run([python, "-c", "import goalsapp; print(goalsapp.__file__)"], **here)
    assert Path(location.strip()).is_relative_to(venv)

    # Migrations and demo data from the wheel; the instance folder where Flask puts an installed app's.
    printed = run([python, "-m", "flask", "--app", "goalsapp", "init-db", "--demo"], **here)
    assert "共导入 5 张表" in printed
    password = re.search(r"密码：\s*(\S+)", printed).group(1)
    assert (venv / "var" / "goalsapp-instance" / "secret_key").is_file()

    port = free_port()
    server = serve(python, port, **here)
    try:
        browser = WebClient(f"http://127.0.0.1:{port}")
        status, login_page = browser.request("GET", "/login")
        assert status == 200 and "<h1>登录</h1>" in login_page
        status, css = browser.request("GET", "/static/app.css")
        assert status == 200 and css == (ROOT / "static" / "app.css").read_text()
        browser.log_in("admin", password)
        status, sheet_list = browser.request("GET", "/")
        assert status == 200 and "基层商会专项经费" in sheet_list
    finally:
        server.terminate()
        server.wait()
