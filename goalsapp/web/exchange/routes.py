"""Export to Excel, import a file with a preview, copy sheets to the next year."""
from collections import Counter
from io import BytesIO

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from ...domain import access, attaching
from ...domain.copying import CopyRefused, copy_to_year, copy_unit_year, record_copy
from ...domain.errors import ReadError
from ...domain.formtemplates import FormTemplate, get_template
from ...domain.importing import MAX_FILE_MB, ImportRefused, OnDuplicate, fill_blank_units, read_contents, store, stored_twin
from ...domain.models import Evaluation, GoalSheet, Unit, add_unless_named_twice
from ...domain.review import review
from ...domain.text import normalize
from ...extensions import db
from ...formats.excel import write_workbook
from ..guards import fillable_unit_year, readable_sheet, require
from ..sheets.routes import requested_unit_year
from . import bp, uploads
from .downloads import download_name
from .forms import ConfirmForm, RereadForm, UploadForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/sheets/<int:sheet_id>/export.xlsx")
def export_sheet(sheet_id: int):
    sheet = readable_sheet(sheet_id)
    return _xlsx([sheet], f"{sheet.year}年{sheet.project_name}绩效目标表.xlsx")


@bp.get("/export.xlsx")
def export_group():
    unit, year, sheets = requested_unit_year()
    return _xlsx(sheets, f"{year}年{unit}项目支出绩效目标表.xlsx")


def _xlsx(sheets: list[GoalSheet], filename: str):
    return send_file(BytesIO(write_workbook(sheets)), mimetype=XLSX, as_attachment=True, download_name=download_name(filename))


@bp.route("/import", methods=["GET", "POST"])
def upload():
    require(access.files_sheets(current_user))
    form = UploadForm()
    if form.validate_on_submit():
        data, filename = form.file.data.read(), form.file.data.filename or "上传的文件"
        token = uploads.save(current_user.id, data)
        try:
            sheets, documents = _readable_for_user(data, filename, unit=form.unit.data)
        except ReadError as error:
            form.file.errors.append(str(error))
            # Kept, so the clerk can have it read in the form it really is without choosing it again.
            return _upload_page(form, RereadForm(formdata=None, token=token, filename=filename, unit=form.unit.data))
        return _preview(sheets, documents, token, filename, template="", unit=form.unit.data)
    return _upload_page(form)


@bp.post("/import/reread")
def reread():
    """The same upload read in the form the user picked, when the guess was wrong."""
    require(access.files_sheets(current_user))
    form = RereadForm()
    data = uploads.peek(current_user.id, form.token.data or "") if form.validate_on_submit() else None
    if data is None:
        return _upload_gone()
    try:
        sheets, documents = _readable_for_user(data, form.filename.data, get_template(form.template.data), form.unit.data)
    except ReadError as error:
        upload_form = UploadForm(formdata=None)
        upload_form.file.errors = [f"按“{get_template(form.template.data).name}”读不了：{error}"]
        return _upload_page(upload_form, form)
    return _preview(sheets, documents, form.token.data, form.filename.data, template=form.template.data, unit=form.unit.data)


def _upload_gone():
    flash("这次上传已过期或无效（或已经导入过），请重新选择文件。")
    return redirect(url_for(".upload"), 303)


def _upload_page(form: UploadForm, reread: RereadForm | None = None):
    """The upload page; after a file that could not be read, with the offer to read it in another form."""
    units = db.session.scalars(select(Unit.name).order_by(Unit.name)).all()  # to pick from, for one of no unit
    return render_template("exchange/upload.html", form=form, reread=reread, max_mb=MAX_FILE_MB, units=units), \
        422 if form.file.errors or form.unit.errors else 200


def _preview(sheets: list[GoalSheet], documents: list[attaching.Plan], token: str, filename: str, template: str, unit: str | None):
    """What the file will create, each sheet with its findings and the form it was read in, each
    self-evaluation or monitoring with the sheet it goes to and its findings as it will be."""
    kept = {"token": token, "filename": filename, "unit": unit or ""}
    confirm = ConfirmForm(data=kept | {"template": template})
    reread_form = RereadForm(data=kept | {"template": template or sheets[0].template}) if sheets else None
    rows = [(sheet, stored_twin(sheet), review(sheet).findings) for sheet in sheets]
    kinds = Counter(plan.kind.name for plan in documents)
    held = "、".join([f"{len(sheets)} 张{'目标表' if documents else '表'}"] * bool(sheets) + [f"{count} 张{name}" for name, count in kinds.items()])
    return render_template("exchange/preview.html", form=confirm, reread=reread_form, rows=rows, documents=documents, held=held,
                           filename=filename, total_of=attaching.total_of, document_page=document_page)


@bp.post("/import/confirm")
def confirm():
    form = ConfirmForm()
    data = uploads.claim(current_user.id, form.token.data or "") if form.validate_on_submit() else None
    if data is None:
        return _upload_gone()
    try:
        template = get_template(form.template.data) if form.template.data else None
        sheets, documents = _readable_for_user(data, form.filename.data, template, form.unit.data)
        outcome = store(sheets, [_choice(index) for index in range(len(sheets))], current_user, documents)
    except (ReadError, ImportRefused) as error:  # a ReadError only if the file changed under us
        db.session.rollback()  # the upload's claim with the rest: it can be confirmed again
        flash(str(error))
        return redirect(url_for(".upload"), 303)
    uploads.discard(current_user.id, form.token.data)
    flash(_imported(outcome))
    if len(outcome.documents) == 1 and not sheets:  # one self-evaluation or monitoring: open it
        return redirect(document_page(outcome.documents[0].item), 303)
    return redirect(url_for("sheets.index"), 303)


def _imported(outcome) -> str:
    """What the import did, in a sentence."""
    said = []
    if outcome.added or outcome.replaced or outcome.skipped or not outcome.documents:
        said.append(f"已导入 {len(outcome.added)} 张表，替换 {len(outcome.replaced)} 张，跳过 {len(outcome.skipped)} 张。")
    for plan in outcome.documents:
        made = f"（目标表是据此新建的草稿，须补全、提交并审核通过后，{plan.kind.name}才能提交）" if plan.creates_sheet else ""
        said.append(f"已导入“{plan.sheet.project_name}”的{plan.kind.name}{made}。")
    if any(plan.kind.code == "evaluation" for plan in outcome.documents):
        said.append("文件里写的得分与按规则计算的不同时，审核会列出。")
    return "".join(said)


def document_page(item) -> str:
    """The page of a self-evaluation or a monitoring."""
    if isinstance(item, Evaluation):
        return url_for("evaluations.show", evaluation_id=item.id)
    return url_for("monitoring.edit", monitoring_id=item.id)


def _readable_for_user(data: bytes, filename: str, template: FormTemplate | None = None,
                       unit: str | None = None) -> tuple[list[GoalSheet], list[attaching.Plan]]:
    """The file's sheets, if this user may file every one of them, and where each of its
    self-evaluations and monitorings goes (attaching.plan, which asks access.py the same); a
    blank 填报单位 is the user's own unit, or (for one with none) the unit they named on uploading."""
    found = read_contents(data, filename, template)
    own_unit = access.unit_of(current_user) or normalize(unit, multiline=False)
    fill_blank_units(found.sheets, own_unit, filename)
    others = sorted({sheet.unit for sheet in found.sheets if not access.can_fill(current_user, sheet.unit)})
    if others:
        raise ReadError(filename, None, f"文件里有其他单位的表（{'、'.join(others)}），你只能导入本单位的表")
    return found.sheets, attaching.plan(found.documents, current_user, own_unit, filename, found.sheets)


def _choice(index: int) -> OnDuplicate:
    try:
        return OnDuplicate(request.form.get(f"choice-{index}", OnDuplicate.SKIP))
    except ValueError:
        return OnDuplicate.SKIP


@bp.post("/sheets/<int:sheet_id>/copy-forward")
def copy_sheet_forward(sheet_id: int):
    sheet = readable_sheet(sheet_id)
    require(access.can_fill(current_user, sheet.unit))
    try:
        copy = copy_to_year(sheet, sheet.year + 1)
    except CopyRefused as error:
        flash(str(error))
        return redirect(url_for("sheets.edit", sheet_id=sheet.id), 303)
    record_copy(copy, current_user)
    db.session.add(copy.sheet)
    # Written first, then checked: of two copies sent at once (a second tab, a second clerk) one stays.
    if (twin := add_unless_named_twice(copy.sheet)) is not None:
        db.session.rollback()
        flash(f"{twin.year}年已有“{twin.project_name}”，没有再复制。")
        return redirect(url_for("sheets.edit", sheet_id=twin.id), 303)
    db.session.commit()
    new = copy.sheet
    message = Markup("已复制到{}年，这是新的草稿；{}年的原表没有改动。").format(new.year, sheet.year)
    if copy.moved:
        message += Markup('文中的年份已顺延 {} 处，<a href="#history">在修改记录里看改了哪些</a>。').format(len(copy.moved))
    if new.template != sheet.template:
        message += f"{new.year}年用“{new.form.name}”，已按类别名称换过去"
        message += ("；新表没有位置、未复制的：" + "、".join(copy.left_out()) + "。") if copy.left_out() else "。"
    flash(message)
    return redirect(url_for("sheets.edit", sheet_id=new.id), 303)


@bp.post("/copy-forward")
def copy_group_forward():
    unit, year = fillable_unit_year()
    try:
        copies, left_out = copy_unit_year(unit, year, year + 1, current_user)
    except CopyRefused as error:
        flash(str(error))
        return redirect(url_for("sheets.index"), 303)
    db.session.commit()
    message = Markup("已把{} {}年的 {} 张表复制到{}年（草稿）。").format(unit, year, len(copies), year + 1)
    if moved := [copy for copy in copies if copy.moved]:
        message += Markup("文中的年份已顺延 {} 处（点表名看修改记录）：").format(sum(len(copy.moved) for copy in moved))
        message += Markup("、").join(Markup('<a href="{}">{}</a> {} 处').format(url_for("sheets.edit", sheet_id=copy.sheet.id, _anchor="history"),
                                                                              copy.sheet.project_name, len(copy.moved)) for copy in moved)
        message += "。"
    if short := [copy for copy in copies if copy.left_out()]:
        message += Markup("换到{}年的表时，新表没有位置、未复制的内容（点表名看修改记录）：").format(year + 1)
        message += Markup("、").join(Markup('<a href="{}">{}</a> {} 项').format(url_for("sheets.edit", sheet_id=copy.sheet.id, _anchor="history"),
                                                                              copy.sheet.project_name, len(copy.left_out())) for copy in short)
        message += "。"
    if left_out:
        message += "已存在、未复制：" + "、".join(sheet.project_name for sheet in left_out) + "。"
    flash(message)
    return redirect(url_for("sheets.index"), 303)
