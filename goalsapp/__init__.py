"""goalsapp: 项目支出绩效目标表 for budget units and the finance bureau."""
import os
import secrets
from pathlib import Path

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Forbidden
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from .domain import limits
from .domain.importing import MAX_FILE_MB
from .extensions import csrf, db, login_manager, migrate

PACKAGE = Path(__file__).resolve().parent
# A source checkout keeps templates/, static/, migrations/ and instance/ beside the package; an
# installed wheel carries the first three inside it (setup.py) and keeps its instance folder
# where Flask puts it for an installed app: <prefix>/var/goalsapp-instance.
INSTALLED = (PACKAGE / "templates").is_dir()
FILES_ROOT = PACKAGE if INSTALLED else PACKAGE.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: configure, bind extensions, register blueprints, commands and error pages."""
    app = Flask(
        __name__,
        instance_path=None if INSTALLED else str(PACKAGE.parent / "instance"),
        instance_relative_config=True,
        template_folder=str(FILES_ROOT / "templates"),
        static_folder=str(FILES_ROOT / "static"),
    )
    configure(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_template_filters(app)
    register_commands(app)
    register_error_handlers(app)
    return app


class RowIdConverter(IntegerConverter):
    """<int:…> in every URL, bounded to what the database can hold: a huge id is a 404, not an overflow."""

    def __init__(self, url_map, **kwargs):
        super().__init__(url_map, min=0, max=limits.ROW_ID_MAX)


SECURITY_HEADERS = {
    # Scripts and styles only from our own files: no inline script can run, htmx included.
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def configure(app: Flask, test_config: dict | None) -> None:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.url_map.converters["int"] = RowIdConverter
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=os.environ.get(
            "DATABASE_URL", f"sqlite:///{Path(app.instance_path) / 'goalsapp.sqlite'}"
        ),
        # A sheet stays open in the editor for hours; the token lives as long as the session.
        WTF_CSRF_TIME_LIMIT=None,
        # Use WTForms' own Chinese messages rather than Flask-Babel's.
        WTF_I18N_ENABLED=False,
        # An upload a little over the importer's own limit gets a clean 413.
        MAX_CONTENT_LENGTH=(MAX_FILE_MB + 1) * 1024 * 1024,
        # Session cookie: never readable by scripts, not sent by other sites' forms.
        # Behind https set GOALSAPP_SESSION_COOKIE_SECURE=true.
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Behind nginx: GOALSAPP_TRUSTED_PROXIES=1 so client addresses (login limits) are real.
        TRUSTED_PROXIES=0,
        # The longest wait between tries once a name or an address has failed often (seconds).
        LOGIN_MAX_DELAY=3.0,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("GOALSAPP")
    else:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    if proxies := int(app.config["TRUSTED_PROXIES"]):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    @app.after_request
    def security_headers(response):
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        if request.endpoint not in ("static", "favicon"):
            # Pages and exports hold a unit's data: no copy left in a shared browser's or proxy's cache.
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/favicon.ico")
    def favicon():
        """Browsers ask for it on every page, whatever the page links."""
        return app.send_static_file("favicon.svg")


def instance_secret_key(instance: Path) -> str:
    """The key in instance/secret_key, made on first run so no key lives in code."""
    key_file = instance / "secret_key"
    if not key_file.exists():
        # Written aside, then linked into place: several workers starting at once all end up
        # with the one key that won, never with an empty or a half-written file.
        draft = instance / f".secret_key.{secrets.token_hex(8)}"
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    # Batch mode: SQLite can only change a table's columns by copying the table.
    migrate.init_app(app, db, directory=str(FILES_ROOT / "migrations"), render_as_batch=True)


def register_blueprints(app: Flask) -> None:
    from .web.admin import bp as admin_bp
    from .web.auth import bp as auth_bp
    from .web.evaluations import bp as evaluations_bp
    from .web.exchange import bp as exchange_bp
    from .web.monitoring import bp as monitoring_bp
    from .web.overview import bp as overview_bp
    from .web.sheets import bp as sheets_bp

    for blueprint in (auth_bp, sheets_bp, exchange_bp, admin_bp, overview_bp, monitoring_bp, evaluations_bp):
        app.register_blueprint(blueprint)


def register_template_filters(app: Flask) -> None:
    from flask_login import current_user

    from .domain import access, layout, limits, workflow
    from .web import filters

    app.jinja_env.filters.update(money=filters.money, period=filters.period, local_time=filters.local_time, lines=filters.lines,
                                  understood=filters.understood, coordinate=filters.coordinate)
    app.jinja_env.globals["paper"] = layout  # the form's printed layout, from its template
    # Templates show a sheet's edit actions by the same rule the views enforce.
    app.jinja_env.globals["can_edit"] = lambda sheet: access.can_edit(current_user, sheet)
    app.jinja_env.globals["can_fill"] = lambda unit: access.can_fill(current_user, unit)
    app.jinja_env.globals["submittable"] = lambda sheets: workflow.submittable(current_user, sheets)
    app.jinja_env.globals["files_sheets"] = lambda: access.files_sheets(current_user)
    app.jinja_env.globals["manages"] = lambda: access.can_manage(current_user)
    app.jinja_env.globals["oversees"] = lambda: access.can_oversee(current_user)
    app.jinja_env.globals["unit_is_fixed"] = lambda: access.unit_is_fixed(current_user)
    app.jinja_env.globals["limits"] = limits  # input sizes, as the forms check them
    app.jinja_env.globals.update(id_url=filters.id_url, csrf_token=filters.csrf_token)  # the latter in place of Flask-WTF's


def register_commands(app: Flask) -> None:
    from .cli.commands import (
        backup_command,
        check_command,
        copy_year_command,
        create_user_command,
        export_command,
        import_command,
        init_db_command,
        restore_command,
    )

    for command in (init_db_command, create_user_command, import_command, export_command, copy_year_command, check_command,
                    backup_command, restore_command):
        app.cli.add_command(command)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return render_template("error.html", message="页面已过期或缺少安全令牌，请刷新页面后重试。"), 400

    @app.errorhandler(400)
    def bad_request(error):
        return render_template("error.html", message="请求不完整或有误，没有保存任何内容。请刷新页面后重试。"), 400

    @app.errorhandler(405)
    def wrong_method(error):
        return render_template("error.html", message="这个地址不能直接打开：请用页面上的按钮操作。"), 405

    @app.errorhandler(413)
    def too_large(error):
        return render_template("error.html", message=f"文件太大：最大 {MAX_FILE_MB} MB。"), 413

    @app.errorhandler(StaleDataError)
    def changed_meanwhile(error):
        db.session.rollback()
        message = "别人刚刚修改了同一张表，你的这次操作没有保存。请刷新页面，看过最新内容后再试。"
        return render_template("error.html", message=message), 409

    @app.errorhandler(403)
    def forbidden(error):
        message = "你没有权限做这件事：这张表可能已提交或已通过，或者不属于你的单位。"
        if error.description != Forbidden.description:  # the route said why (guards.require)
            message = error.description
        return render_template("error.html", message=message), 403

    @app.errorhandler(404)
    def not_found(error):
        return render_template("error.html", message="找不到这个页面：表或指标可能已被删除。"), 404

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_template("error.html", message="服务器出错了，刚才的修改没有保存。请稍后重试。"), 500
