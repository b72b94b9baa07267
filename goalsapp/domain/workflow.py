"""The review workflow: 草稿 → 已提交 → 已通过, or → 已退回 (with a comment) → 已提交 again;
a submission not yet decided on may be withdrawn (撤回) back to 草稿.

The same for every document the bureau reviews (models.Reviewed: a target sheet, its
monitoring, its self-evaluation). Each transition checks who may make it and from which
status, changes the document and records it in its sheet's history; the caller commits.
"""
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import access, history
from .models import GoalSheet, Reviewed, Status, User, utcnow
from .review import Report


class WorkflowError(Exception):
    """A transition that is not allowed, said in Chinese."""


def submit(sheet: Reviewed, user: User, report: Report) -> None:
    if not access.can_fill(user, sheet.unit):
        raise WorkflowError("只有本单位的填报人可以提交这张表。")
    if sheet.status not in access.EDITABLE:
        raise WorkflowError(f"这张表现在是“{sheet.status}”，不能再提交。")
    if report.blocking:
        raise WorkflowError(f"还有 {report.blocking} 个“强制”问题，改正后才能提交。")
    sheet.submitted_by_id, sheet.submitted_at = user.id, utcnow()
    _move(sheet, user, Status.SUBMITTED, "submit")


@dataclass
class GroupSubmission:
    """What submitting a unit's year at once did: the sheets submitted, and those it could not
    submit with why (their blocking findings say what to fix). Sheets already submitted or
    approved are left as they are."""

    submitted: list[GoalSheet] = field(default_factory=list)
    refused: list[tuple[GoalSheet, str]] = field(default_factory=list)


def submit_all(sheets: list[tuple[GoalSheet, Report]], user: User) -> GroupSubmission:
    """Submit every sheet still open to changes that submit() accepts, each recorded in its own
    history; the caller commits."""
    outcome = GroupSubmission()
    for sheet, report in sheets:
        if sheet.status not in access.EDITABLE:
            continue
        try:
            submit(sheet, user, report)
        except WorkflowError as error:
            outcome.refused.append((sheet, str(error)))
        else:
            outcome.submitted.append(sheet)
    return outcome


def submittable(user: User, sheets: Iterable[tuple]) -> tuple[int, int]:
    """(ready, blocked): of these sheets, each (sheet, its Report or Counts, …), those the user may
    still change: how many submit_all would submit (no 强制 finding), how many it would leave."""
    open_ones = [findings.blocking for sheet, findings, *_ in sheets if access.can_edit(user, sheet)]
    blocked = sum(1 for blocking in open_ones if blocking)
    return len(open_ones) - blocked, blocked


def withdraw(sheet: Reviewed, user: User) -> None:
    if not access.can_fill(user, sheet.unit):
        raise WorkflowError("只有本单位的填报人可以撤回这张表。")
    if not access.can_withdraw(user, sheet):
        raise WorkflowError(f"这张表现在是“{sheet.status}”：只有已提交、尚未审核的表可以撤回。")
    _move(sheet, user, Status.DRAFT, "withdraw")


def approve(sheet: Reviewed, user: User, comment: str) -> None:
    _check_reviewable(sheet, user)
    if not access.can_approve(user, sheet):
        raise WorkflowError("这张表是你自己提交的，须由另一位审核人审核通过。")
    _move(sheet, user, Status.APPROVED, "approve", comment.strip())


def send_back(sheet: Reviewed, user: User, comment: str) -> None:
    _check_reviewable(sheet, user)
    if not comment.strip():
        raise WorkflowError("退回时请写明审核意见，告诉填报人要改什么。")
    _move(sheet, user, Status.RETURNED, "return", comment.strip())


def _check_reviewable(sheet: Reviewed, user: User) -> None:
    if not access.can_review(user):
        raise WorkflowError("只有财政部门的审核人可以审核。")
    if sheet.status != Status.SUBMITTED:
        raise WorkflowError(f"这张表现在是“{sheet.status}”，不在待审核状态。")


def _move(sheet: Reviewed, user: User, status: Status, action: str, comment: str | None = None) -> None:
    def apply() -> None:
        sheet.status = status
        if comment is not None:
            sheet.review_comment = comment

    history.change(sheet, user, action, lambda: {"状态": str(sheet.status), "财政部门审核意见": sheet.review_comment}, apply)
