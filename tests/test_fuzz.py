"""Arbitrary input to every form and htmx endpoint: never a server error, never a half-written sheet."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from goalsapp.domain.models import GoalSheet, LoginFailure, SheetEvent, Unit, User
from goalsapp.extensions import db

# Any text: control characters, NUL, astral planes, huge numbers, formula-like strings.
anything = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", " ", "-1", "1e400", "NaN", "Infinity", "9" * 40, "2021-13", "=1+1", "<script>", "\x00", "１２.５"]),
)

ENDPOINTS = {
    ("post", "/sheets/new"): ["unit", "year", "project_name", "budget_dept", "local_budget", "higher_funds",
                              "period_start", "period_end", "period_goal", "annual_goal"],
    ("post", "/sheets/1"): ["unit", "year", "project_name", "budget_dept", "local_budget", "higher_funds",
                            "period_start", "period_end", "period_goal", "annual_goal", "version"],
    ("post", "/sheets/1/indicators"): ["level1", "level2", "name", "value", "standard"],
    ("put", "/indicators/1"): ["level1", "level2", "name", "value", "standard", "version"],
    ("get", "/sheets/1/indicators/new"): ["level1", "level2"],
    ("post", "/sheets/1/return"): ["comment"],
    ("post", "/copy-forward"): ["unit", "year"],
    ("post", "/import/confirm"): ["token", "filename", "choice-0"],
    ("post", "/admin/units"): ["name"],
    ("post", "/admin/users"): ["username", "display_name", "role", "unit", "password"],
    ("get", "/"): ["status"],
    ("get", "/print"): ["unit", "year"],
    ("get", "/export.xlsx"): ["unit", "year"],
}


def snapshot():
    sheets = db.session.scalars(select(GoalSheet).order_by(GoalSheet.id)).all()
    return (
        [(s.id, s.unit, s.year, s.project_name, s.budget_dept, s.local_budget, s.higher_funds, s.period_start, s.period_end,
          s.period_goal, s.annual_goal, s.status, s.version, [(i.id, i.name, i.value, i.standard, i.version) for i in s.indicators])
         for s in sheets],
        db.session.scalars(select(Unit.name)).all(),
        db.session.scalars(select(User.username)).all(),
        len(db.session.scalars(select(SheetEvent.id)).all()),
    )


@pytest.fixture
def fuzzed(seeded, client):
    return seeded, client


@pytest.mark.parametrize("endpoint", list(ENDPOINTS), ids=[f"{m} {u}" for m, u in ENDPOINTS])
def test_arbitrary_values_never_break_an_endpoint(fuzzed, endpoint):
    app, client = fuzzed
    method, url = endpoint

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(st.fixed_dictionaries({name: anything for name in ENDPOINTS[endpoint]}))
    def post(values):
        with app.app_context():
            before = snapshot()
        if method == "get":
            response = client.get(url, query_string=values)
        else:
            response = getattr(client, method)(url, data=values)
        assert response.status_code < 500, response.get_data(as_text=True)[:500]
        with app.app_context():
            after = snapshot()
        if response.status_code >= 400 or method == "get":
            assert after == before  # refused means nothing written
        else:
            # accepted: every sheet still whole (a header, and a history that says how it came)
            assert all(sheet[3] and sheet[11] for sheet in after[0])

    post()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.text(max_size=60), st.text(max_size=60))
def test_arbitrary_logins_never_break(app, username, password):
    response = app.test_client().post("/login", data={"username": username, "password": password})
    assert response.status_code in (422, 429)
    with app.app_context():
        assert db.session.scalars(select(User)).all() == []
        db.session.execute(db.delete(LoginFailure))
        db.session.commit()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.binary(max_size=2000), st.sampled_from(["a.xlsx", "b.docx", "c.txt", "d"]))
def test_arbitrary_uploads_never_break(app, client, data, filename):
    from io import BytesIO

    response = client.post("/import", data={"file": (BytesIO(data), filename)}, content_type="multipart/form-data")
    assert response.status_code in (200, 422)
    with app.app_context():
        assert db.session.scalars(select(GoalSheet)).all() == []  # a preview writes nothing

