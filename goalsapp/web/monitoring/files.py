"""A monitoring as an .xlsx, and the same file, filled in offline, read back into it."""
from io import BytesIO

from flask import flash, redirect, request, send_file, url_for
from flask_login import current_user

from ...domain import monitoring
from ...domain.errors import ReadError
from ...domain.models import Monitoring
from ...extensions import db
from ...formats.monitoring_excel import read_monitoring, write_monitorings
from ..exchange.downloads import download_name
from ..exchange.routes import XLSX
from ..guards import editable_document, readable_document
from . import bp


@bp.get("/monitorings/<int:monitoring_id>/export.xlsx")
def export(monitoring_id: int):
    found = readable_document(Monitoring, monitoring_id)
    name = f"{found.round.year}年{found.sheet.project_name}运行监控（截至{found.round.month}月）.xlsx"
    data = write_monitorings([found])  # the MOF layout, which the import reads back
    return send_file(BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=download_name(name))


@bp.post("/monitorings/<int:monitoring_id>/import")
def import_file(monitoring_id: int):
    """导入Excel: the values of a file exported from this monitoring and filled in offline. All or
    nothing: one cell that cannot be taken and nothing is stored, the cell named."""
    found = editable_document(Monitoring, monitoring_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("请选择要导入的Excel文件（.xlsx）。")
        return redirect(url_for(".edit", monitoring_id=found.id), 303)
    try:
        filled = read_monitoring(upload.read(), upload.filename, found)
    except ReadError as error:
        flash(f"没有导入：{error}")
        return redirect(url_for(".edit", monitoring_id=found.id), 303)
    event = monitoring.update(found, current_user, lambda: filled.apply(found), action="import")
    db.session.commit()
    changed = len(event.changes) if event else 0
    flash(f"已从“{upload.filename}”导入：{changed} 处有改动。" if changed else f"“{upload.filename}”与现在的内容相同，没有改动。")
    return redirect(url_for(".edit", monitoring_id=found.id), 303)
