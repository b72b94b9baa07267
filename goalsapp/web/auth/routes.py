"""Log in, log out, and the rule that every page but these needs a user."""
import math
import secrets
from datetime import UTC, datetime, timedelta
from functools import cache
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import delete, func, or_, select
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from ...domain.models import LoginFailure, User, utcnow
from ...extensions import db, login_manager
from ..forms import BaseForm
from . import bp

OPEN_ENDPOINTS = {"auth.login", "static", "favicon"}
# Failed logins, counted over a window. A name and address together lock after a few: that is
# someone guessing from one place. The name alone, or the address alone (an office behind one
# NAT address), only has to wait between tries, so a stranger cannot lock a real user out.
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_AFTER = 5  # failures for one username from one address
SLOW_AFTER_PER_ACCOUNT = 5  # failures for one username, from anywhere
SLOW_AFTER_PER_ADDRESS = 30  # failures from one address, for any usernames


class LoginForm(BaseForm):
    username = StringField("用户名", [DataRequired("请填写用户名")])
    password = PasswordField("密码", [DataRequired("请填写密码")])


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The account of a session, unless that session has been ended (see User.end_sessions)."""
    user_id, _, generation = session_id.partition(".")
    if not (user_id.isdigit() and generation.isdigit()):
        return None  # a cookie from before session generations: log in again
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.session_generation == int(generation) else None


@login_manager.unauthorized_handler
def unauthorized():
    if request.headers.get("HX-Request"):
        # htmx follows HX-Redirect even on an error status; a plain redirect would be swapped into the row.
        return "", 401, {"HX-Redirect": url_for("auth.login")}
    return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


@bp.before_app_request
def require_login():
    if request.endpoint not in OPEN_ENDPOINTS and not current_user.is_authenticated:
        return login_manager.unauthorized()


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        username, address = form.username.data.strip(), request.remote_addr or ""
        account, place, pair, latest = _recent_failures(username, address)
        if pair >= LOCK_AFTER:
            form.password.errors.append(f"这个账号在这台电脑上登录失败次数过多，请{FAILURE_WINDOW.seconds // 60}分钟后再试。")
            return render_template("auth/login.html", form=form), 429
        # Answered at once, not slept on: a waiting worker would slow everyone else down too.
        wait = slowdown(account, place, current_app.config["LOGIN_MAX_DELAY"]) - _seconds_since(latest)
        if wait > 0:
            form.password.errors.append(f"登录失败次数较多，请{math.ceil(wait)}秒后再试。")
            return render_template("auth/login.html", form=form), 429
        user = db.session.scalars(select(User).where(User.username == username)).first()
        if _password_matches(user, form.password.data) and user.is_active:
            db.session.execute(delete(LoginFailure).where(LoginFailure.username == username))
            db.session.commit()
            session.clear()  # a new session at login: nothing from before it (CSRF token included) carries over
            login_user(user)
            return redirect(_safe_next(request.args.get("next")), 303)
        _remember_failure(username, address)
        form.password.errors.append("用户名或密码不对，或账号已停用。")
    return render_template("auth/login.html", form=form), 422 if form.errors else 200


def slowdown(account_failures: int, address_failures: int, max_delay: float) -> float:
    """Seconds to wait after the latest failure before another try is answered: doubling with
    each failure past the allowance, up to max_delay."""
    over = max(account_failures - SLOW_AFTER_PER_ACCOUNT, address_failures - SLOW_AFTER_PER_ADDRESS)
    return 0.0 if over <= 0 else min(max_delay, 0.25 * 2 ** min(over - 1, 16))


@cache
def _unguessable_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))


def _password_matches(user: User | None, password: str) -> bool:
    """Checked against a real hash even for an unknown name, so the answer takes as long
    and does not tell which usernames exist."""
    if user is None:
        check_password_hash(_unguessable_hash(), password)
        return False
    return user.check_password(password)


def _recent_failures(username: str, address: str) -> tuple[int, int, int, datetime | None]:
    """Failures in the window: for the username, from the address, for both together, and when the latest was."""
    recent = LoginFailure.at > utcnow() - FAILURE_WINDOW
    return db.session.execute(
        select(
            func.count().filter(LoginFailure.username == username),
            func.count().filter(LoginFailure.address == address),
            func.count().filter(LoginFailure.username == username, LoginFailure.address == address),
            func.max(LoginFailure.at, type_=LoginFailure.at.type),
        ).where(recent, or_(LoginFailure.username == username, LoginFailure.address == address))
    ).one()


def _seconds_since(moment: datetime | None) -> float:
    if moment is None:
        return math.inf
    if moment.tzinfo is None:  # SQLite hands back naive datetimes; they were stored as UTC
        moment = moment.replace(tzinfo=UTC)
    return (utcnow() - moment).total_seconds()


def _remember_failure(username: str, address: str) -> None:
    db.session.execute(delete(LoginFailure).where(LoginFailure.at < utcnow() - FAILURE_WINDOW))  # keep the table small
    db.session.add(LoginFailure(username=username[:60], address=address[:45]))
    db.session.commit()


@bp.post("/logout")
def logout():
    """End this account's sessions (a saved copy of the cookie opens nothing) and start a clean one."""
    current_user.end_sessions()
    db.session.commit()
    logout_user()
    session.clear()
    flash("已退出。")
    return redirect(url_for("auth.login"), 303)


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never send a user on to another host."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("sheets.index")
