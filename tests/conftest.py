import secrets
import threading
from pathlib import Path

import pytest
from sqlalchemy import event
from werkzeug.serving import make_server

from goalsapp import create_app
from goalsapp.commands import DEMO_FILE
from goalsapp.extensions import db
from goalsapp.importing import import_files


def make_app(tmp_path: Path, **config):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": secrets.token_hex(16),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'goalsapp.sqlite'}",
            **config,
        }
    )
    with app.app_context():
        db.create_all()
    return app


@pytest.fixture
def app(tmp_path):
    """The app on an empty temporary database, CSRF off for plain request tests."""
    return make_app(tmp_path, WTF_CSRF_ENABLED=False)


@pytest.fixture
def csrf_app(tmp_path):
    """The app as deployed: CSRF protection on."""
    return make_app(tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


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
def live_server(csrf_app):
    """The CSRF-protected app served from a thread on a free port."""
    server = make_server("127.0.0.1", 0, csrf_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()

