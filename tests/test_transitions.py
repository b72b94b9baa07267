"""The workflow's views are one for the three documents the bureau reviews (web/transitions.py):
what each of them refuses, proved on each (the target sheet, its self-evaluation, a monitoring)."""
from datetime import date

import pytest
from sqlalchemy import select

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain import evaluation, monitoring
from goalsapp.domain.importing import import_files
from goalsapp.domain.models import Evaluation, GoalSheet, Monitoring, Role, Status, User
from goalsapp.extensions import db

from .conftest import add_user
from .test_security import logged_in, token_from

KINDS = {"sheet": GoalSheet, "evaluation": Evaluation, "monitoring": Monitoring}


def waiting(app, kind: str) -> str:
    """The seed's sheet 1, or its self-evaluation or its 2021 monitoring (the sheet approved), waiting
    for the bureau; returns its page's address."""
    add_user(app, "bureau", Role.ADMIN)
    with app.app_context():
        import_files([DEMO_FILE])
        sheet = db.session.get(GoalSheet, 1)
        document = sheet
        if kind != "sheet":
            sheet.status = Status.APPROVED
            bureau = db.session.scalars(select(User).where(User.username == "bureau")).one()
            if kind == "evaluation":
                document = evaluation.start(sheet, bureau)
            else:
                document = monitoring.start(sheet, monitoring.open_round(bureau, 2021, 6, date(2021, 7, 15)), bureau)
        document.status = Status.SUBMITTED
        db.session.commit()
        return {"sheet": "/sheets/1", "evaluation": "/evaluations/1", "monitoring": "/monitorings/1"}[kind]


def state(app, kind: str) -> tuple[Status, str]:
    with app.app_context():
        document = db.session.get(KINDS[kind], 1)
        return document.status, document.review_comment


@pytest.mark.parametrize("kind", KINDS)
def test_a_decision_without_the_token_is_refused(csrf_app, kind):
    url = waiting(csrf_app, kind)
    client = logged_in(csrf_app)  # an administrator, who may decide
    assert client.post(f"{url}/return", data={"comment": "请改"}).status_code == 400
    assert state(csrf_app, kind) == (Status.SUBMITTED, "")
    token = token_from(client.get(url).get_data(as_text=True))
    assert client.post(f"{url}/return", data={"comment": "请改", "csrf_token": token}).status_code == 303
    assert state(csrf_app, kind) == (Status.RETURNED, "请改")


@pytest.mark.parametrize("kind", KINDS)
def test_a_comment_too_long_is_shown_again_to_shorten_and_nothing_is_decided(app, reviewer, kind):
    url = waiting(app, kind)
    response = reviewer.post(f"{url}/return", data={"comment": "长" * 2001})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "审核意见不能超过2000个字" in page
    assert "长" * 2001 in page  # the reviewer's typing is kept
    assert state(app, kind) == (Status.SUBMITTED, "")


@pytest.mark.parametrize("kind", KINDS)
def test_the_units_own_clerk_neither_approves_nor_returns_it(app, filler, kind):
    url = waiting(app, kind)
    for decision in ("approve", "return"):
        assert filler.post(f"{url}/{decision}", data={"comment": "自己审"}).location == url
        assert "只有财政部门的审核人可以审核。" in filler.get(url).get_data(as_text=True)
    assert state(app, kind) == (Status.SUBMITTED, "")
