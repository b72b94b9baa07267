"""Units, user accounts, the form each year's sheets are filed in, and the indicator library."""
from datetime import date
from io import BytesIO

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ...domain import access, library
from ...domain.errors import ReadError
from ...domain.formtemplates import TEMPLATES
from ...domain.frameworks import FRAMEWORKS
from ...domain.models import GoalSheet, LibraryEntry, Role, Unit, User, YearTemplate, template_for_year
from ...extensions import db
from ...formats.excel import write_list
from ..exchange.downloads import download_name
from . import bp
from .forms import LibraryEntryForm, LibraryImportForm, PasswordForm, UnitForm, UserForm, YearTemplateForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.before_request
def only_administrators():
    if not access.can_manage(current_user):
        abort(403)


@bp.route("/units", methods=["GET", "POST"])
def units():
    form = UnitForm()
    if form.validate_on_submit():
        db.session.add(Unit(name=form.name.data))
        if _committed(form.name.errors, "已有这个单位"):
            flash(f"已添加单位“{form.name.data}”。")
            return redirect(url_for(".units"), 303)
    return _units_page(form)


@bp.post("/units/<int:unit_id>")
def rename_unit(unit_id: int):
    """A unit renamed is renamed on every sheet it has filed: the sheets refer to it by id."""
    unit = db.session.get(Unit, unit_id) or abort(404)
    form = UnitForm(prefix=f"unit{unit.id}")
    if form.validate_on_submit():
        old_name, unit.name = unit.name, form.name.data
        if _committed(form.name.errors, "已有这个单位"):
            flash(f"已把“{old_name}”改名为“{form.name.data}”，它的表随之改名。")
            return redirect(url_for(".units"), 303)
    return _units_page(UnitForm(formdata=None), renamed=(unit.id, form))


def _units_page(form: UnitForm, renamed: tuple[int, UnitForm] | None = None):
    """Every unit with its sheet count and its rename form (the one just refused keeps its typing)."""
    sheet_counts = dict(db.session.execute(select(GoalSheet.unit_id, func.count()).group_by(GoalSheet.unit_id)).all())
    rows = [(unit, sheet_counts.get(unit.id, 0), _rename_form(unit, renamed)) for unit in db.session.scalars(select(Unit).order_by(Unit.name))]
    return render_template("admin/units.html", form=form, rows=rows), 422 if form.errors or renamed else 200


def _rename_form(unit: Unit, renamed: tuple[int, UnitForm] | None) -> UnitForm:
    if renamed and renamed[0] == unit.id:
        return renamed[1]
    return UnitForm(formdata=None, prefix=f"unit{unit.id}", data={"name": unit.name})


@bp.route("/templates", methods=["GET", "POST"])
def year_templates():
    """Which form new sheets of each budget year start in (and copies to that year move to)."""
    form = YearTemplateForm()
    if form.validate_on_submit():
        chosen = db.session.get(YearTemplate, form.year.data) or YearTemplate(year=form.year.data)
        chosen.template = form.template.data
        db.session.add(chosen)
        db.session.commit()
        flash(f"{form.year.data}年的新表将用“{chosen.form_name}”。")
        return redirect(url_for(".year_templates"), 303)
    this_year = date.today().year
    stored = {row.year: row for row in db.session.scalars(select(YearTemplate))}
    years = sorted(set(range(this_year - 1, this_year + 3)) | stored.keys())
    rows = [(year, template_for_year(year), year in stored) for year in years]
    return render_template("admin/templates.html", form=form, rows=rows, templates=TEMPLATES.values()), 422 if form.errors else 200


@bp.route("/users", methods=["GET", "POST"])
def users():
    form = UserForm()
    if form.validate_on_submit():
        user = User(username=form.username.data, display_name=form.display_name.data, role=Role(form.role.data),
                    unit_id=form.unit.data or None)
        user.set_password(form.password.data)
        db.session.add(user)
        if _committed(form.username.errors, "用户名已被使用"):
            flash(f"已添加账号“{form.username.data}”（{form.role.data}）。")
            return redirect(url_for(".users"), 303)
    accounts = db.session.scalars(select(User).order_by(User.role, User.username)).all()
    return render_template("admin/users.html", form=form, accounts=accounts, password_form=PasswordForm()), 422 if form.errors else 200


@bp.post("/users/<int:user_id>/active")
def toggle_active(user_id: int):
    user = db.get_or_404(User, user_id)
    user.end_sessions()  # a deactivated account is out at once, not at its next login
    if user.active and (refusal := access.why_not_deactivate(current_user, user, _active_admins_locked())):
        db.session.rollback()
        flash(refusal)
    else:
        user.active = not user.active
        db.session.commit()
        flash(f"账号“{user.username}”已{'启用' if user.active else '停用'}。")
    return redirect(url_for(".users"), 303)


def _active_admins_locked() -> int:
    """Active administrators, counted so that two deactivations at once cannot both see the
    other still there. PostgreSQL: the admin rows are locked first, in one order, so none
    deadlock. SQLite: the pending write is flushed, taking its single writer lock. Then count."""
    active_admins = select(User.id).where(User.role == Role.ADMIN, User.active.is_(True))
    with db.session.no_autoflush:
        db.session.scalars(active_admins.order_by(User.id).with_for_update()).all()
    db.session.flush()
    return db.session.scalar(select(func.count()).select_from(active_admins.subquery()))


@bp.post("/users/<int:user_id>/password")
def set_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        user.end_sessions()  # whoever knew the old password is out, wherever they are logged in
        db.session.commit()
        if user.id == current_user.id:
            login_user(user)  # but not the administrator who just set their own
        flash(f"已为“{user.username}”设置新密码。")
    else:
        flash("；".join(form.password.errors) or "密码没有改。")
    return redirect(url_for(".users"), 303)


# --- the indicator library -------------------------------------------------------------------


@bp.get("/library")
def library_page():
    """The library of one framework (指标体系), category by category: the built-in 共性指标 and the
    bureau's own entries, which it adds, changes, removes, imports and exports."""
    framework = _shown_framework()
    return _library_page(framework, LibraryEntryForm(categories=framework.pairs()), LibraryImportForm(formdata=None))


@bp.post("/library")
def add_library_entry():
    framework = _shown_framework()
    form = LibraryEntryForm(categories=framework.pairs())
    if form.validate_on_submit():
        entry = LibraryEntry()
        form.populate(entry)
        db.session.add(entry)
        if _committed(form.name.errors):
            flash(f"已把“{entry.name}”加入指标库（{entry.level1} › {entry.level2}）。")
            return redirect(url_for(".library_page", framework=framework.code), 303)
    return _library_page(framework, form, LibraryImportForm(formdata=None))


def _committed(errors: list, taken: str = "别人刚刚在这一类存入了同名指标，没有保存：请刷新页面后再看") -> bool:
    """Commit; a name someone else stored meanwhile (an entry, a unit, an account: the unique
    constraint is the last word) is said on the field, not a server error."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        errors.append(taken)
        return False
    return True


@bp.route("/library/<int:entry_id>", methods=["GET", "POST"])
def edit_library_entry(entry_id: int):
    entry = db.get_or_404(LibraryEntry, entry_id)
    form = LibraryEntryForm(categories=library.categories(), entry=entry)
    if form.validate_on_submit():
        form.populate(entry)
        if _committed(form.name.errors):
            flash(f"已修改“{entry.name}”。")
            return redirect(url_for(".library_page", framework=request.args.get("framework")), 303)
    return render_template("admin/library_entry.html", form=form, entry=entry), 422 if form.errors else 200


@bp.post("/library/<int:entry_id>/delete")
def delete_library_entry(entry_id: int):
    entry = db.get_or_404(LibraryEntry, entry_id)
    db.session.delete(entry)
    db.session.commit()
    flash(f"已从指标库删除“{entry.name}”。")
    return redirect(url_for(".library_page", framework=request.args.get("framework")), 303)


@bp.post("/library/import")
def import_library():
    """Entries from an .xlsx, all or nothing: any bad cell, and none is stored."""
    framework = _shown_framework()
    form = LibraryImportForm()
    if form.validate_on_submit():
        data, filename = form.file.data.read(), form.file.data.filename or "上传的文件"
        try:
            added, changed = library.store_entries(library.read_library(data, filename))
        except ReadError as error:
            form.file.errors.append(str(error))
        except library.LibraryRefused as error:
            db.session.rollback()
            form.file.errors.append(f"{filename}：没有导入任何指标，请改正后重新导入：")
            form.file.errors.extend(error.problems)
        else:
            if _committed(form.file.errors):
                flash(f"已从“{filename}”导入：新增{added}条，修改{changed}条。")
                return redirect(url_for(".library_page", framework=framework.code), 303)
    return _library_page(framework, LibraryEntryForm(categories=framework.pairs(), formdata=None), form)


@bp.get("/library/export.xlsx")
def export_library():
    """The bureau's entries as an .xlsx the import reads back."""
    data = write_list("指标库", library.export_rows(), widths=(12, 22, 44, 14, 10))
    return send_file(BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=download_name("指标库.xlsx"))


def _shown_framework():
    """The framework the page shows: the one asked for, else that of next year's form."""
    return FRAMEWORKS.get(request.args.get("framework", "")) or template_for_year(date.today().year + 1).framework


def _library_page(framework, form: LibraryEntryForm, import_form: LibraryImportForm):
    entries = db.session.scalars(select(LibraryEntry).order_by(LibraryEntry.id)).all()
    groups = [(level1, level2, [entry for entry in entries if (entry.level1, entry.level2) == (level1, level2)],
               library.built_in(level2)) for level1, level2 in framework.pairs()]
    return render_template("admin/library.html", framework=framework, frameworks=FRAMEWORKS.values(), groups=groups,
                           form=form, import_form=import_form, count=len(entries),
                           problems_shown=PROBLEMS_SHOWN), 422 if form.errors or import_form.errors else 200


PROBLEMS_SHOWN = 30  # of a refused file's bad cells, listed; the rest counted
