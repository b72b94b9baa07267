"""Log in, log out, and the rule that every page but these needs a user."""
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from ..extensions import db, login_manager
from ..models import User
from . import bp

OPEN_ENDPOINTS = {"auth.login", "static"}


class LoginForm(FlaskForm):
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
        user = db.session.scalars(select(User).where(User.username == form.username.data.strip())).first()
        if user is not None and user.check_password(form.password.data) and user.is_active:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")), 303)
        form.password.errors.append("用户名或密码不对，或账号已停用。")
    return render_template("auth/login.html", form=form), 422 if form.errors else 200


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
