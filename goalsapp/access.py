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


def can_read(user: User, sheet: GoalSheet) -> bool:
    return user.role in (Role.REVIEWER, Role.ADMIN) or (user.role == Role.FILLER and sheet.unit == unit_of(user))


def can_fill(user: User, unit: str) -> bool:
    """May create and change sheets of this unit (whatever their status)."""
    return user.role == Role.ADMIN or (user.role == Role.FILLER and unit == unit_of(user))


def can_edit(user: User, sheet: GoalSheet) -> bool:
    """May change the sheet now: its unit's filler, while it is a draft or returned."""
    return can_fill(user, sheet.unit) and sheet.status in EDITABLE


def can_review(user: User) -> bool:
    return user.role in (Role.REVIEWER, Role.ADMIN)


def can_manage(user: User) -> bool:
    return user.role == Role.ADMIN
