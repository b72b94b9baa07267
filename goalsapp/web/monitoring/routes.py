"""Monitoring pages: the bureau's rounds and their progress, a sheet's monitoring in the editor
(each row lit as the clerk types), and the print view."""
from dataclasses import dataclass
from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ...domain import access, history, monitoring
from ...domain.models import GoalSheet, Monitoring, MonitoringRound, MonitoringRow
from ...domain.monitoring_paper import LAYOUTS, paper
from ...domain.retry import retried_when_changed_meanwhile
from ...extensions import db
from ..forms import CommentForm
from ..guards import readable_document, readable_sheet, require
from ..transitions import panel_state
from . import bp
from .forms import MoneyForm, RoundForm, RowForm

# --- the bureau's rounds ------------------------------------------------------------------------


@bp.get("/monitoring")
def rounds_page():
    """Every round opened, and for the bureau the form that opens the next."""
    today = date.today()
    form = RoundForm(formdata=None, data={"year": today.year, "month": 6, "deadline": date(today.year, 7, 15)})
    return render_rounds(form)


@bp.post("/monitoring")
def open_round():
    require(access.can_open_round(current_user))
    form = RoundForm()
    if form.validate_on_submit():
        try:
            opened = monitoring.open_round(current_user, form.year.data, form.month.data, form.deadline.data)
            db.session.commit()
        except monitoring.RoundRefused as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        except IntegrityError:  # the same round, opened by someone else a moment ago
            db.session.rollback()
            form.form_errors.append(f"{form.year.data}年截至{form.month.data}月的运行监控已经开启过了。")
        else:
            flash(f"已开启{opened.year}年截至{opened.month}月的运行监控，截止日期{opened.deadline:%Y-%m-%d}。各单位审核通过的表可以开始填报。")
            return redirect(url_for(".round_page", round_id=opened.id), 303)
    return render_rounds(form), 422


def render_rounds(form: RoundForm):
    return render_template("monitoring/rounds.html", rounds=monitoring.rounds(), form=form,
                           may_open=access.can_open_round(current_user))


@bp.get("/monitoring/rounds/<int:round_id>")
def round_page(round_id: int):
    """A round's progress: each approved sheet of its year (a 填报人's own unit's only), its
    monitoring's status and lights; 未填报 for one its unit has not begun."""
    monitoring_round = db.get_or_404(MonitoringRound, round_id)
    entries = readable_progress(monitoring_round)
    unit = request.args.get("unit", "")
    if unit and access.unit_is_fixed(current_user) and unit != access.unit_of(current_user):
        abort(404)  # another unit's progress is not a 填报人's to see, nor to be told it has none
    if unit:
        entries = [entry for entry in entries if entry.sheet.unit == unit]
    return render_template("monitoring/round.html", round=monitoring_round, entries=entries, unit=unit,
                           tally=monitoring.tally(entries), today=date.today(), late=monitoring.is_late,
                           signs=monitoring.SIGNS, sign=monitoring.sign, percent=monitoring.percent)


def readable_progress(monitoring_round: MonitoringRound) -> list[monitoring.Progress]:
    """The round's lines this user may read: a 填报人's own unit's, everyone's for the bureau."""
    if access.unit_is_fixed(current_user) and access.own_unit_id(current_user) is None:
        return []  # a 填报人 of no unit reads no sheet
    entries = monitoring.progress(monitoring_round, access.own_unit_id(current_user))
    return [entry for entry in entries if access.can_read(current_user, entry.sheet)]


# --- a sheet's monitoring ------------------------------------------------------------------------


@bp.post("/sheets/<int:sheet_id>/monitoring/<int:round_id>")
@retried_when_changed_meanwhile
def open_for_sheet(sheet_id: int, round_id: int):
    """运行监控 on an approved sheet: its monitoring in the round, begun now by its unit if it has none.
    A post, as every change is: a link followed from anywhere begins nothing."""
    sheet = readable_sheet(sheet_id)
    monitoring_round = db.get_or_404(MonitoringRound, round_id)
    found = monitoring.monitoring_of(sheet, monitoring_round)
    if found is None:
        try:
            found = monitoring.start(sheet, monitoring_round, current_user)
            db.session.commit()
        except monitoring.NotMonitored as error:
            db.session.rollback()
            flash(str(error))
            return redirect(url_for("sheets.edit", sheet_id=sheet.id), 303)
        except IntegrityError:  # begun by another request at the same moment: that one stands
            db.session.rollback()
            found = monitoring.monitoring_of(sheet, monitoring_round)
    return redirect(url_for(".edit", monitoring_id=found.id), 303)


@dataclass
class Editor:
    """The editor's forms: the money block (with the page's token and version) and one per row."""

    money: MoneyForm
    rows: dict[int, RowForm]

    @classmethod
    def of(cls, found: Monitoring, posted: bool = False) -> "Editor":
        formdata = {} if posted else {"formdata": None}
        money = MoneyForm(obj=found, **formdata)
        money.label_months(found.round.months)
        rows = {}
        for row in found.rows:
            rows[row.id] = RowForm(prefix=f"row-{row.id}", obj=row, **formdata)
            rows[row.id].label_months(found.round.months)
        return cls(money, rows)

    def validate(self) -> bool:
        results = [self.money.validate()] + [form.validate() for form in self.rows.values()]
        return all(results)

    @property
    def errors(self) -> int:
        return len(self.money.errors) + sum(len(form.errors) for form in self.rows.values())

    def money_block(self) -> monitoring.MoneyBlock:
        return monitoring.MoneyBlock(**{field: self.money[field].data for field in monitoring.MONEY_FIELDS})

    def row_values(self) -> dict[int, dict[str, str]]:
        return {row_id: form.values() for row_id, form in self.rows.items()}


@dataclass(frozen=True)
class SaveOutcome:
    saved: bool = False
    conflict: list[list[str]] | None = None  # [what, theirs, yours] when someone saved meanwhile


@bp.route("/monitorings/<int:monitoring_id>", methods=["GET", "POST"])
@retried_when_changed_meanwhile
def edit(monitoring_id: int):
    found = readable_document(Monitoring, monitoring_id)
    if request.method == "POST":
        require(access.can_edit(current_user, found))
        editor = Editor.of(found, posted=True)
        outcome = save(found, editor)
        if outcome.saved:
            db.session.commit()
            flash("运行监控已保存。")
            return redirect(url_for(".edit", monitoring_id=found.id), 303)
        return render_editor(found, editor, outcome)
    return render_editor(found, Editor.of(found))


def save(found: Monitoring, editor: Editor) -> SaveOutcome:
    """Check what was typed and store it (the caller commits), or say why not."""
    if not editor.validate():
        return SaveOutcome()
    if editor.money.conflicts_with(found):
        theirs = monitoring.snapshot(found)
        editor.money.start_from(found)  # saving again overwrites, on purpose
        return SaveOutcome(conflict=history.changes(theirs, monitoring.snapshot(found, editor.money_block(), editor.row_values())))
    monitoring.update(found, current_user, lambda: monitoring.fill(found, editor.money_block(), editor.row_values()))
    return SaveOutcome(saved=True)


def render_editor(found: Monitoring, editor: Editor, outcome: SaveOutcome = SaveOutcome(), comment_form: CommentForm | None = None):
    """The editor; typing that was not saved stays in it, with why (422), or theirs beside it (409).
    The lights show what is typed, saved or not."""
    month = found.round.month
    typed_money = editor.money_block()
    lights = {row.id: monitoring.light_of(monitoring.target(row), *(editor.rows[row.id][field].data or "" for field in (
        "current", "expected", "possibility")), month) for row in found.rows}
    status = 409 if outcome.conflict is not None else 422 if editor.errors or (comment_form and comment_form.errors) else 200
    return render_template(
        "monitoring/monitoring.html", monitoring=found, round=found.round, sheet=found.sheet, editor=editor,
        conflict=outcome.conflict, lights=lights, money_light=monitoring.money_light(typed_money, month),
        rate=monitoring.execution_rate(typed_money), report=monitoring.review(found), **panel_state(found, comment_form),
        events=history.events_of(found), actions=history.ACTIONS,
        money_labels={field.name: field.label.text for field in editor.money},  # naming a finding's field
        targets={row.id: monitoring.target_written(row) for row in found.rows}, sign=monitoring.sign, percent=monitoring.percent,
        layouts=LAYOUTS.values(), elapsed=monitoring.elapsed(found),
    ), status


@bp.post("/monitorings/<int:monitoring_id>/rows/<int:row_id>/light")
def row_light(monitoring_id: int, row_id: int):
    """A row's light for what is typed in it now, stored or not (htmx, as the clerk types)."""
    found = readable_document(Monitoring, monitoring_id)
    row = monitoring_row(found, row_id)
    form = RowForm(prefix=f"row-{row.id}")
    light = monitoring.light_of(monitoring.target(row), form.current.data or "", form.expected.data or "",
                                form.possibility.data or "", found.round.month)
    return render_template("monitoring/_light.html", monitoring=found, row=row, light=light, sign=monitoring.sign)


@bp.post("/monitorings/<int:monitoring_id>/money/light")
def money_light(monitoring_id: int):
    """The money block's 执行率 and light for the amounts typed now (htmx)."""
    found = readable_document(Monitoring, monitoring_id)
    form = MoneyForm()
    form.validate()  # amounts that do not parse are left out (None), as not yet written
    typed = monitoring.MoneyBlock(**{field: form[field].data if not form[field].errors else None for field in monitoring.MONEY_FIELDS})
    return render_template("monitoring/_money_status.html", monitoring=found, rate=monitoring.execution_rate(typed),
                           money_light=monitoring.money_light(typed, found.round.month), sign=monitoring.sign, percent=monitoring.percent,
                           oob=True)


def monitoring_row(found: Monitoring, row_id: int) -> MonitoringRow:
    row = next((row for row in found.rows if row.id == row_id), None)
    if row is None:
        abort(404)
    return row


# --- print ---------------------------------------------------------------------------------------


@bp.get("/monitorings/<int:monitoring_id>/print")
def print_monitoring(monitoring_id: int):
    found = readable_document(Monitoring, monitoring_id)
    return render_print([found], f"{found.sheet.project_name} {found.round.year}年运行监控（打印）")


@bp.get("/monitoring/rounds/<int:round_id>/print")
def print_round(round_id: int):
    """全部打印: every monitoring begun in the round (of one unit, when named), each on its own page."""
    monitoring_round = db.get_or_404(MonitoringRound, round_id)
    unit = request.args.get("unit", "")
    found = [entry.monitoring for entry in readable_progress(monitoring_round)
             if entry.monitoring is not None and (not unit or entry.sheet.unit == unit)]
    if not found:
        abort(404)
    return render_print(found, f"{unit or '全部单位'} {monitoring_round.year}年截至{monitoring_round.month}月运行监控（{len(found)}张）")


def render_print(found: list[Monitoring], title: str):
    code = request.args.get("layout", "")
    return render_template("print/monitoring.html", papers=[paper(one, code) for one in found], title=title)


# --- links from the sheets' pages ------------------------------------------------------------------


@bp.app_template_global()
def monitoring_rounds(year: int) -> list[MonitoringRound]:
    """The rounds of a year, latest first: the 运行监控 links of its approved sheets (asked once a request)."""
    known = g.setdefault("monitoring_rounds", {})
    if year not in known:
        known[year] = monitoring.rounds(year)
    return known[year]


@bp.app_template_global()
def monitoring_in(sheet: GoalSheet, monitoring_round: MonitoringRound) -> Monitoring | None:
    """The sheet's monitoring in the round, once begun: its 运行监控 opens it; before, it begins it."""
    return monitoring.monitoring_of(sheet, monitoring_round)


@bp.app_template_global()
def monitored_in(sheet: GoalSheet) -> list[MonitoringRound]:
    """The rounds the sheet has a monitoring in (an imported one may wait for its target's
    approval), or may begin one: an approved sheet, its year's rounds."""
    return [one for one in monitoring_rounds(sheet.year)
            if monitoring.why_not_monitored(sheet, one) is None or monitoring.monitoring_of(sheet, one) is not None]
