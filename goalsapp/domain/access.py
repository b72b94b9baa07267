"""Who may do what with a sheet: pure functions of a user and a sheet.

Every view asks these; nothing else decides. A 填报人 sees and edits only their own
unit's sheets; a 审核人 reads every unit and approves or returns; a 管理员 may do all
of it and manages units and users.
"""
from .models import GoalSheet, Role, Status, User

EDITABLE = (Status.DRAFT, Status.RETURNED)


def unit_of(user: User) -> str | None:
    """The one unit a 填报人 works for; None for those who see every unit."""
    return user.unit.name if user.role == Role.FILLER and user.unit else None


def own_unit_id(user: User) -> int | None:
    """The id of the one unit a 填报人 works for; None for those who see every unit."""
    return user.unit_id if user.role == Role.FILLER else None


def can_read(user: User, sheet: GoalSheet) -> bool:
    return user.role in (Role.REVIEWER, Role.ADMIN) or (
        user.role == Role.FILLER and user.unit_id is not None and sheet.unit_id == user.unit_id)


def can_fill(user: User, unit: str) -> bool:
    """May create and change sheets of this unit (whatever their status)."""
    return user.role == Role.ADMIN or (user.role == Role.FILLER and unit == unit_of(user))


def can_edit(user: User, sheet: GoalSheet) -> bool:
    """May change the sheet now: its unit's filler, while it is a draft or returned."""
    return can_fill(user, sheet.unit) and sheet.status in EDITABLE


def can_review(user: User) -> bool:
    return user.role in (Role.REVIEWER, Role.ADMIN)


def can_oversee(user: User) -> bool:
    """Sees the county's overview, every unit's year at a glance: the finance bureau."""
    return can_review(user)


def can_open_round(user: User) -> bool:
    """Opens a monitoring round for a year (绩效运行监控): the finance bureau, which reviews what comes of it."""
    return can_review(user)


def can_approve(user: User, sheet: GoalSheet) -> bool:
    """A reviewer, but never the one who submitted it: nobody approves their own work."""
    return can_review(user) and sheet.submitted_by_id != user.id


def can_decide(user: User, sheet: GoalSheet) -> bool:
    """May approve or return the sheet now: a reviewer, while it waits for the bureau."""
    return can_review(user) and sheet.status == Status.SUBMITTED


def can_approve_now(user: User, sheet: GoalSheet) -> bool:
    """The list's 通过 and its check box: a sheet that waits, which this reviewer did not submit."""
    return can_decide(user, sheet) and can_approve(user, sheet)


def can_withdraw(user: User, sheet: GoalSheet) -> bool:
    """Take back a submission the bureau has not decided on yet."""
    return can_fill(user, sheet.unit) and sheet.status == Status.SUBMITTED


def why_not_deactivate(actor: User, account: User, active_admins: int) -> str | None:
    """Why actor may not deactivate account (None: they may): never oneself, never the last administrator."""
    if account.id == actor.id:
        return "不能停用自己的账号。"
    if account.role == Role.ADMIN and account.active and active_admins <= 1:
        return "这是最后一个在用的管理员账号，不能停用。"
    return None


def can_manage(user: User) -> bool:
    return user.role == Role.ADMIN


def files_sheets(user: User) -> bool:
    """Creates and imports sheets: everyone but the finance bureau, which reviews them."""
    return user.role != Role.REVIEWER


def unit_is_fixed(user: User) -> bool:
    """A 填报人 files for their own unit only; the unit field is theirs, not to type."""
    return user.role == Role.FILLER
