"""Log in, log out, and the rule that every page but these needs a user."""
from datetime import timedelta
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import delete, func, select
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from ..extensions import db, login_manager
from ..forms import BaseForm
from ..models import LoginFailure, User, utcnow
from . import bp

OPEN_ENDPOINTS = {"auth.login", "static"}
# Failed logins allowed before logins pause: few per account; more per address, since a
# unit's office often reaches the server through one shared address.
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 30
FAILURE_WINDOW = timedelta(minutes=15)


class LoginForm(BaseForm):
    username = StringField("用户名", [DataRequired("请填写用户名")])
    password = PasswordField("密码", [DataRequired("请填写密码")])


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


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
        if _too_many_failures(username, address):
            form.password.errors.append(f"登录失败次数过多，请{FAILURE_WINDOW.seconds // 60}分钟后再试。")
            return render_template("auth/login.html", form=form), 429
        user = db.session.scalars(select(User).where(User.username == username)).first()
        if user is not None and user.check_password(form.password.data) and user.is_active:
            db.session.execute(delete(LoginFailure).where(LoginFailure.username == username))
            db.session.commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")), 303)
        _remember_failure(username, address)
        form.password.errors.append("用户名或密码不对，或账号已停用。")
    return render_template("auth/login.html", form=form), 422 if form.errors else 200


def _too_many_failures(username: str, address: str) -> bool:
    since = utcnow() - FAILURE_WINDOW
    by_account = db.session.scalar(select(func.count()).where(LoginFailure.username == username, LoginFailure.at > since))
    by_address = db.session.scalar(select(func.count()).where(LoginFailure.address == address, LoginFailure.at > since))
    return by_account >= MAX_FAILURES_PER_ACCOUNT or by_address >= MAX_FAILURES_PER_ADDRESS


def _remember_failure(username: str, address: str) -> None:
    db.session.execute(delete(LoginFailure).where(LoginFailure.at < utcnow() - FAILURE_WINDOW))  # keep the table small
    db.session.add(LoginFailure(username=username[:60], address=address[:45]))
    db.session.commit()


@bp.post("/logout")
def logout():
    logout_user()
    flash("已退出。")
    return redirect(url_for("auth.login"), 303)


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never send a user on to another host."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("sheets.index")
