"""A self-evaluation to Excel, in its paper layout, and such a workbook, filled in, back in."""
from io import BytesIO

from flask import flash, redirect, request, send_file, url_for
from flask_login import current_user

from ...domain import evaluation
from ...domain.errors import ReadError
from ...domain.evaluation_layout import paper
from ...domain.models import Evaluation
from ...domain.retry import retried_when_changed_meanwhile
from ...extensions import db
from ...formats.documents import of_project
from ...formats.evaluation_excel import read_evaluations, write_evaluations
from ..exchange.downloads import download_name
from ..exchange.routes import XLSX
from ..guards import editable_document, readable_document
from . import bp


@bp.get("/evaluations/<int:evaluation_id>/export.xlsx")
def export_evaluation(evaluation_id: int):
    item = readable_document(Evaluation, evaluation_id)
    sheet = item.sheet
    data = write_evaluations([(sheet.project_name, paper(item))])
    return send_file(BytesIO(data), mimetype=XLSX, as_attachment=True,
                     download_name=download_name(f"{sheet.year}年{sheet.project_name}绩效自评表.xlsx"))


@bp.post("/evaluations/<int:evaluation_id>/import")
@retried_when_changed_meanwhile
def import_evaluation(evaluation_id: int):
    """导入Excel: the whole table from a filled-in export, or nothing (each bad cell named)."""
    item = editable_document(Evaluation, evaluation_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("请选择要导入的Excel文件（.xlsx）。")
        return redirect(url_for(".show", evaluation_id=item.id), 303)
    try:
        found = of_project(read_evaluations(upload.read(), upload.filename), item.sheet.project_name, upload.filename)
        draft = evaluation.from_file(item, found, upload.filename)
    except ReadError as error:
        flash(f"没有导入：{error}")
        return redirect(url_for(".show", evaluation_id=item.id), 303)
    evaluation.save_all(item, draft, current_user, action="import_evaluation")
    db.session.commit()
    flash(f"已从“{upload.filename}”导入自评表。文件里写的得分与按规则计算的不同时，审核会列出。")
    return redirect(url_for(".show", evaluation_id=item.id), 303)
