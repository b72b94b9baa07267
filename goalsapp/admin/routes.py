"""Units and user accounts."""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from .. import access
from ..extensions import db
from ..models import GoalSheet, Role, Unit, User
from . import bp
from .forms import PasswordForm, UnitForm, UserForm


@bp.before_request
def only_administrators():
    if not access.can_manage(current_user):
        abort(403)


@bp.route("/units", methods=["GET", "POST"])
def units():
    form = UnitForm()
    if form.validate_on_submit():
        db.session.add(Unit(name=form.name.data))
        db.session.commit()
        flash(f"已添加单位“{form.name.data}”。")
        return redirect(url_for(".units"), 303)
    sheet_counts = dict(db.session.execute(select(GoalSheet.unit, func.count()).group_by(GoalSheet.unit)).all())
    rows = [(unit, sheet_counts.get(unit.name, 0)) for unit in db.session.scalars(select(Unit).order_by(Unit.name))]
    return render_template("admin/units.html", form=form, rows=rows), 422 if form.errors else 200


@bp.route("/users", methods=["GET", "POST"])
def users():
    form = UserForm()
    if form.validate_on_submit():
        user = User(username=form.username.data, display_name=form.display_name.data, role=Role(form.role.data),
                    unit_id=form.unit.data or None)
        user.set_password(form.password.data)
        db.session.add(user)
        db.session.commit()
        flash(f"已添加账号“{user.username}”（{user.role}）。")
        return redirect(url_for(".users"), 303)
    accounts = db.session.scalars(select(User).order_by(User.role, User.username)).all()
    return render_template("admin/users.html", form=form, accounts=accounts, password_form=PasswordForm()), 422 if form.errors else 200


@bp.post("/users/<int:user_id>/active")
def toggle_active(user_id: int):
    user = db.get_or_404(User, user_id)
    if user.active and (refusal := access.why_not_deactivate(current_user, user, _active_admins())):
        flash(refusal)
    else:
        user.active = not user.active
        user.end_sessions()  # a deactivated account is out at once, not at its next login
        db.session.commit()
        flash(f"账号“{user.username}”已{'启用' if user.active else '停用'}。")
    return redirect(url_for(".users"), 303)


def _active_admins() -> int:
    return db.session.scalar(select(func.count(User.id)).where(User.role == Role.ADMIN, User.active.is_(True)))


@bp.post("/users/<int:user_id>/password")
def set_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        user.end_sessions()  # whoever knew the old password is out, wherever they are logged in
        db.session.commit()
        flash(f"已为“{user.username}”设置新密码。")
    else:
        flash("；".join(form.password.errors) or "密码没有改。")
    return redirect(url_for(".users"), 303)
