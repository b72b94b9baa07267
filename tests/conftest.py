import os
import secrets
import socket
import subprocess
import threading
import time
from contextlib import closing
from pathlib import Path

import flask_migrate
import pytest
from sqlalchemy import event
from werkzeug.serving import make_server

from goalsapp import create_app
from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.importing import import_files
from goalsapp.domain.models import Role, Unit, User
from goalsapp.extensions import db

SEED_UNIT = "会同县工商联"


# `make test` runs the suite twice: on SQLite, then with TEST_DATABASE_URL on PostgreSQL.
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
ON_SQLITE = not TEST_DATABASE_URL or TEST_DATABASE_URL.startswith("sqlite")


def database_url(tmp_path: Path) -> str:
    return TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'goalsapp.sqlite'}"


def empty_database(app) -> None:
    """Drop every table: a server database is shared by the tests, one after another."""
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(db.text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture
def app_factory(tmp_path):
    """make(migrated=True, **config): an app on an empty database; closed at teardown."""
    apps = []

    def make(migrated: bool = True, **config):
        # No waits between login tries, so tests that fail on purpose do not trip over them;
        # test_security sets the wait to check it.
        app = create_app({"TESTING": True, "SECRET_KEY": secrets.token_hex(16), "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
                          "LOGIN_MAX_DELAY": 0, **config})
        empty_database(app)
        if migrated:
            with app.app_context():
                # The models' schema, marked as the newest migration (test_migrations checks they agree).
                db.create_all()
                flask_migrate.stamp(revision="head")
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()  # PostgreSQL counts every connection left open


def add_user(app, username: str, role: Role, unit: str | None = None) -> str:
    """Create an account (and its unit); returns its fresh random password."""
    password = secrets.token_urlsafe(12)
    with app.app_context():
        user = User(username=username, display_name=username, role=role)
        if unit:
            user.unit = db.session.scalars(db.select(Unit).where(Unit.name == unit)).first() or Unit(name=unit)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
    return password


def login(app, username: str, role: Role, unit: str | None = None):
    """A test client logged in as a new account of this role."""
    password = add_user(app, username, role, unit)
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


@pytest.fixture
def app(app_factory):
    """The app on an empty database, CSRF off for plain request tests."""
    return app_factory(WTF_CSRF_ENABLED=False)


@pytest.fixture
def csrf_app(app_factory):
    """The app as deployed: CSRF protection on."""
    return app_factory()


@pytest.fixture
def client(app):
    """Logged in as an administrator, who may do everything a page offers."""
    return login(app, "admin", Role.ADMIN)


@pytest.fixture
def filler(app):
    """Logged in as a 填报人 of the seed's unit."""
    return login(app, "filler", Role.FILLER, SEED_UNIT)


@pytest.fixture
def other_filler(app):
    """Logged in as a 填报人 of another unit."""
    return login(app, "outsider", Role.FILLER, "某县教育局")


@pytest.fixture
def reviewer(app):
    """Logged in as a 审核人 of the finance bureau."""
    return login(app, "reviewer", Role.REVIEWER)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def seeded(app):
    """The app holding the seed's five sheets."""
    with app.app_context():
        import_files([DEMO_FILE])
    return app


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, *args):
        self.count += 1


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run while the returned counter is attached."""
    counter = QueryCounter()
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine, "before_cursor_execute", counter)


# --- Real browser: Playwright driving Debian's Chromium -----------------------------

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium, fonts-noto-cjk "
            "and poppler-utils (`make test` installs them as root)."
        )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        # This machine has no internet: keep Chromium from trying.
        "args": ["--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def browser_login(page, live_server, csrf_app):
    """Log the browser in: browser_login(role, unit=None, username=None) -> base URL.

    A username seen before logs in again as the same account (after 退出).
    """
    passwords: dict[str, str] = {}

    def log_in(role: Role = Role.ADMIN, unit: str | None = None, username: str | None = None) -> str:
        username = username or f"{role.name.lower()}-{secrets.token_hex(3)}"
        if username not in passwords:
            passwords[username] = add_user(csrf_app, username, role, unit)
        page.goto(f"{live_server}/login")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(passwords[username])
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server}/")
        return live_server

    return log_in


@pytest.fixture
def live_server(csrf_app):
    """The CSRF-protected app served from a thread on a free port."""
    server = make_server("127.0.0.1", 0, csrf_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()



def listening(server: subprocess.Popen, port: int) -> subprocess.Popen:
    """The server, once it accepts connections on the loopback port (killed if it never does)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with closing(socket.socket()) as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")
