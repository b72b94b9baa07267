"""The workflow's views, once for every document the bureau reviews (models.Reviewed: a target
sheet, its self-evaluation, a monitoring): submit, withdraw, approve and return with the bureau's
comment, and where a list offers it, approve several at once.

Each blueprint registers them (register_transitions) with what is its own: how its page saves the
typing a submit carries, how it shows a comment refused, where a reviewer goes after deciding.
What they say is data, one Wording a kind of document (WORDING), and so is what its pages'
buttons ask before they act (templates/_workflow.html, the submit buttons) and the findings' hint.
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from ..domain import access, limits, workflow
from ..domain.listing import PER_PAGE
from ..domain.models import Evaluation, GoalSheet, Monitoring, Reviewed
from ..domain.retry import retried_when_changed_meanwhile
from ..domain.review import Report
from ..extensions import db
from .forms import CommentForm
from .guards import readable_document, require


@dataclass(frozen=True)
class BatchWording:
    """What approving several at once (批量通过) says."""

    none_checked: str
    too_many: str  # {most}
    missing: str  # {id}: one checked that is gone (deleted meanwhile, or never was)
    approved: str  # {count}, {names}
    refused: str  # {count}, {reasons}


@dataclass(frozen=True)
class Wording:
    """What a kind of document's workflow says: the messages after each step and the questions
    its buttons ask first. {project} stands for its sheet's project name."""

    submitted: str
    saved_not_submitted: str  # before the workflow's refusal, when submitting saved the typing first
    withdrawn: str
    approved: str
    returned: str
    confirm_submit: str
    confirm_withdraw: str
    confirm_approve: str
    own_submission: str  # where 审核通过 would be, for the one who submitted it
    unsubmittable: str  # under the findings, while one is 强制
    queue_emptied: str = ""  # after a decision, where a decision goes on to the next: none is left
    skip: str = ""  # the link past this one to the next waiting, where the panel offers it
    after_decision: str = ""  # the panel's hint that deciding opens the next
    batch: BatchWording | None = None


NEXT_ONE = "下一张：{unit}“{project}”。"  # after a decision, the one opened next

WORDING: dict[type[Reviewed], Wording] = {
    GoalSheet: Wording(
        submitted="已提交，等待财政部门审核。表已锁定，不能再修改；审核前可以撤回。",
        saved_not_submitted="表头已保存，但没有提交：",
        withdrawn="已撤回，表又是草稿，可以修改后重新提交。",
        approved="“{project}”已审核通过。",
        returned="“{project}”已退回填报单位修改。",
        confirm_submit="提交时先保存表头；提交后表会锁定，等待财政部门审核。确定提交？",
        confirm_withdraw="撤回后表变回草稿，可以修改后重新提交。确定撤回？",
        confirm_approve="审核通过“{project}”？通过后表不能再修改。",
        own_submission="这张表是你提交的，须由另一位审核人审核通过。",
        unsubmittable="有“强制”问题的表不能提交。",
        queue_emptied="待审核的表都已审完。",
        skip="跳过，看下一张待审核的表",
        after_decision="审核通过或退回后，直接打开下一张待审核的表。",
        batch=BatchWording(
            none_checked="请先勾选要审核通过的表。",
            too_many="一次最多审核通过 {most} 张表。",
            missing="第 {id} 号表：找不到这张表（可能已被删除）。",
            approved="已审核通过 {count} 张：{names}。",
            refused="{count} 张没有通过：{reasons}。",
        ),
    ),
    Evaluation: Wording(
        submitted="自评表已提交，等待财政部门审核。提交后不能再修改；审核前可以撤回。",
        saved_not_submitted="已保存，但没有提交：",
        withdrawn="已撤回，自评表又是草稿，可以修改后重新提交。",
        approved="自评表已审核通过。",
        returned="自评表已退回填报单位修改。",
        confirm_submit="提交时先保存全表；提交后自评表会锁定，等待财政部门审核。确定提交？",
        confirm_withdraw="撤回后自评表变回草稿，可以修改后重新提交。确定撤回？",
        confirm_approve="审核通过“{project}”的自评表？通过后不能再修改。",
        own_submission="这张自评表是你提交的，须由另一位审核人审核通过。",
        unsubmittable="有“强制”问题的自评表不能提交。",
    ),
    Monitoring: Wording(
        submitted="运行监控已提交，等待财政部门审核。提交后不能再修改；审核前可以撤回。",
        saved_not_submitted="已保存，但没有提交：",
        withdrawn="已撤回，运行监控又是草稿，可以修改后重新提交。",
        approved="“{project}”的运行监控已审核通过。",
        returned="“{project}”的运行监控已退回填报单位修改。",
        confirm_submit="提交时先保存；提交后运行监控表会锁定，等待财政部门审核。确定提交？",
        confirm_withdraw="撤回后运行监控表变回草稿，可以修改后重新提交。确定撤回？",
        confirm_approve="审核通过“{project}”的运行监控？通过后不能再修改。",
        own_submission="这张运行监控表是你提交的，须由另一位审核人审核通过。",
        unsubmittable="有“强制”问题的运行监控表不能提交。",
        queue_emptied="本轮待审核的都已审完。",
    ),
}


@dataclass(frozen=True)
class SaveFirst:
    """What became of the typing a submit carried: submitting saves it first, never loses it."""

    saved: bool = False  # stored, for the submit to commit (False too when none was posted)
    refused: ResponseReturnValue | None = None  # the editor saying why it could not be stored: nothing is submitted


@dataclass(frozen=True)
class Queue:
    """Where a reviewer goes once a document is decided: the next one waiting, else a list."""

    place: Callable[[Reviewed], object]  # where it stands, taken before deciding moves it out
    following: Callable[[Reviewed, object], Reviewed | None]  # the next one waiting after that place
    emptied: Callable[[Reviewed], str]  # the page to go back to when none is left


@dataclass(frozen=True)
class Registered:
    """How a kind of document's pages are addressed: its transitions' blueprint and URL argument."""

    blueprint: str
    id_name: str
    url_of: Callable[[Reviewed], str]


REGISTERED: dict[type[Reviewed], Registered] = {}


def register_transitions(bp: Blueprint, model: type[Reviewed], *, prefix: str, id_name: str,
                         url_of: Callable[[Reviewed], str], review: Callable[[Reviewed], Report],
                         save_first: Callable[[Reviewed], SaveFirst],
                         with_comment: Callable[[Reviewed, CommentForm], ResponseReturnValue],
                         queue: Queue | None = None, batch_to: str | None = None) -> None:
    """POST {prefix}/<id>/submit, withdraw, approve, return (endpoints submit, withdraw, approve,
    send_back), and with batch_to (the list's endpoint, where it returns) POST {prefix}/approve
    (approve_many). `url_of` is a document's own page, where each step returns."""
    words = WORDING[model]
    if batch_to is not None and words.batch is None:
        raise ValueError(f"{model.__name__} has no words for approving several at once")

    def applied(move: Callable[[], None], saved_first: bool = False) -> bool:
        """Make a workflow move and commit it; refused, say why, keeping what a submit saved first."""
        try:
            move()
        except workflow.WorkflowError as error:
            db.session.commit() if saved_first else db.session.rollback()
            flash((words.saved_not_submitted if saved_first else "") + str(error))
            return False
        db.session.commit()
        return True

    def submit(**ids):
        document = readable_document(model, ids[id_name])
        first = save_first(document)
        if first.refused is not None:
            return first.refused
        if applied(lambda: workflow.submit(document, current_user, review(document)), saved_first=first.saved):
            flash(words.submitted)
        return redirect(url_of(document), 303)

    def withdraw(**ids):
        document = readable_document(model, ids[id_name])
        if applied(lambda: workflow.withdraw(document, current_user)):
            flash(words.withdrawn)
        return redirect(url_of(document), 303)

    def approve(**ids):
        return decide(readable_document(model, ids[id_name]), workflow.approve, words.approved)

    def send_back(**ids):
        return decide(readable_document(model, ids[id_name]), workflow.send_back, words.returned)

    def decide(document: Reviewed, move, done: str):
        """A decision with the bureau's comment, once the comment passes its form's checks (else
        the page again, the comment kept); decided, on to the next waiting where there is a queue."""
        form = CommentForm()
        if not form.validate():
            return with_comment(document, form)
        place = queue.place(document) if queue else None
        if not applied(lambda: move(document, current_user, form.comment.data)):
            return redirect(url_of(document), 303)
        done = done.format(project=document.sheet.project_name)
        if queue is None:
            flash(done)
            return redirect(url_of(document), 303)
        following = queue.following(document, place)
        if following is None:
            flash(done + words.queue_emptied)
            return redirect(queue.emptied(document), 303)
        flash(done + NEXT_ONE.format(unit=following.unit, project=following.sheet.project_name))
        return redirect(url_of(following), 303)

    def approve_many():
        """批量通过 (and a list row's 通过): each checked one approved by the workflow's own checks;
        the ones it refuses are named, with why, and the rest are approved all the same."""
        require(access.can_review(current_user))
        said = words.batch
        wanted = list(dict.fromkeys(request.form.getlist(f"{id_name}s", type=int)))  # the list's check boxes: sheet_ids
        if not wanted or len(wanted) > PER_PAGE:
            flash(said.too_many.format(most=PER_PAGE) if wanted else said.none_checked)
            return redirect(url_for(batch_to), 303)
        storable = [one for one in wanted if 0 < one <= limits.ROW_ID_MAX]  # a bigger id overflows the query
        found = {document.id: document for document in db.session.scalars(select(model).where(model.id.in_(storable)))}
        approved, refused = [], []
        for document_id in wanted:
            document = found.get(document_id)
            if document is None or not access.can_read(current_user, document):
                refused.append(said.missing.format(id=document_id))
                continue
            try:
                workflow.approve(document, current_user, "")
            except workflow.WorkflowError as error:
                refused.append(f"{document.unit}“{document.sheet.project_name}”：{error}")
            else:
                approved.append(f"“{document.sheet.project_name}”")
        db.session.commit()
        if approved:
            flash(said.approved.format(count=len(approved), names="、".join(approved)))
        if refused:
            flash(said.refused.format(count=len(refused), reasons="；".join(reason.rstrip("。") for reason in refused)))
        return redirect(url_for(batch_to), 303)

    for action, view in (("submit", submit), ("withdraw", withdraw), ("approve", approve), ("return", send_back)):
        bp.add_url_rule(f"{prefix}/<int:{id_name}>/{action}", view.__name__, retried_when_changed_meanwhile(view), methods=["POST"])
    if batch_to is not None:
        bp.add_url_rule(f"{prefix}/approve", "approve_many", retried_when_changed_meanwhile(approve_many), methods=["POST"])
    REGISTERED[model] = Registered(bp.name, id_name, url_of)
    bp.add_app_template_global(wording)
    bp.add_app_template_global(transition_url)
    bp.add_app_template_global(document_url)


def panel_state(document: Reviewed, comment_form: CommentForm | None = None) -> dict:
    """What the workflow panel (templates/_workflow.html) shows the current user of a document.
    The comment box starts empty on every document; it holds typing only when a decision was refused."""
    return dict(
        editable=access.can_edit(current_user, document),
        reviewable=access.can_decide(current_user, document),
        approvable=access.can_approve(current_user, document),
        withdrawable=access.can_withdraw(current_user, document),
        comment_form=comment_form or CommentForm(formdata=None),
    )


def wording(document: Reviewed) -> Wording:
    """What a document's workflow says, for its pages' buttons and panels."""
    return WORDING[type(document)]


def transition_url(document: Reviewed, endpoint: str) -> str:
    """The address of one of a document's transitions (submit, withdraw, approve, send_back)."""
    registered = REGISTERED[type(document)]
    return url_for(f"{registered.blueprint}.{endpoint}", **{registered.id_name: document.id})


def document_url(document: Reviewed) -> str:
    """A document's own page."""
    return REGISTERED[type(document)].url_of(document)
