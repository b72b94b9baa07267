"""Logging in, accounts and units: the admin pages and the commands."""
import re

from sqlalchemy import select

from goalsapp.domain.models import Role, Unit, User
from goalsapp.extensions import db

from .conftest import add_user


def test_logging_in_and_out(app):
    password = add_user(app, "zhang", Role.FILLER, "会同县工商联")
    client = app.test_client()
    assert client.get("/login").get_data(as_text=True).startswith("<!doctype html>")
    wrong = client.post("/login", data={"username": "zhang", "password": "not-it"})
    assert wrong.status_code == 422 and "用户名或密码不对" in wrong.get_data(as_text=True)
    assert 'value="zhang"' in wrong.get_data(as_text=True)  # the typing stays
    right = client.post("/login?next=/import", data={"username": "zhang", "password": password})
    assert right.status_code == 303 and right.location == "/import"
    assert "zhang（填报人，会同县工商联）" in client.get("/").get_data(as_text=True)
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_the_next_page_stays_on_this_site(app):
    password = add_user(app, "zhang", Role.FILLER, "会同县工商联")
    response = app.test_client().post("/login?next=//evil.example/x", data={"username": "zhang", "password": password})
    assert response.location == "/"


def test_an_administrator_adds_a_unit_and_a_filler_who_can_then_log_in(app, client):
    assert client.post("/admin/units", data={"name": "某县教育局"}).status_code == 303
    assert "某县教育局" in client.get("/admin/units").get_data(as_text=True)
    duplicate = client.post("/admin/units", data={"name": "某县教育局"})
    assert duplicate.status_code == 422 and "已有这个单位" in duplicate.get_data(as_text=True)

    with app.app_context():
        unit_id = db.session.scalars(select(Unit.id).where(Unit.name == "某县教育局")).one()
    no_unit = client.post("/admin/users", data={"username": "li", "role": "填报人", "unit": "0", "password": "long-enough-1"})
    assert no_unit.status_code == 422 and "填报人必须属于一个单位" in no_unit.get_data(as_text=True)
    short = client.post("/admin/users", data={"username": "li", "role": "填报人", "unit": str(unit_id), "password": "short"})
    assert "密码至少8位" in short.get_data(as_text=True)
    created = client.post("/admin/users", data={"username": "li", "display_name": "李四", "role": "填报人", "unit": str(unit_id), "password": "long-enough-1"})
    assert created.status_code == 303
    li = app.test_client()
    assert li.post("/login", data={"username": "li", "password": "long-enough-1"}).status_code == 303
    assert "李四（填报人，某县教育局）" in li.get("/").get_data(as_text=True)


def test_a_stopped_account_cannot_log_in_and_a_new_password_works(app, client):
    add_user(app, "wang", Role.REVIEWER)
    with app.app_context():
        wang = db.session.scalars(select(User).where(User.username == "wang")).one().id
    client.post(f"/admin/users/{wang}/active")
    assert app.test_client().post("/login", data={"username": "wang", "password": "x"}).status_code == 422
    client.post(f"/admin/users/{wang}/active")
    client.post(f"/admin/users/{wang}/password", data={"password": "brand-new-pass"})
    assert app.test_client().post("/login", data={"username": "wang", "password": "brand-new-pass"}).status_code == 303


def test_passwords_are_stored_hashed(app):
    password = add_user(app, "zhao", Role.ADMIN)
    with app.app_context():
        stored = db.session.scalars(select(User.password_hash).where(User.username == "zhao")).one()
    assert password not in stored and stored.startswith(("scrypt:", "pbkdf2:"))


def test_the_first_setup_makes_an_administrator_with_a_random_password_once(app, runner):
    first = runner.invoke(args=["init-db", "--demo"])
    password = re.search(r"用户名：admin\s+密码：\s*(\S+)", first.output).group(1)
    assert len(password) >= 12
    assert "密码" not in runner.invoke(args=["init-db", "--demo"]).output
    assert app.test_client().post("/login", data={"username": "admin", "password": password}).status_code == 303
    with app.app_context():
        assert db.session.scalars(select(Unit.name)).all() == ["会同县工商联"]  # the demo's unit, ready for its fillers


def test_create_user_asks_for_the_password(app, runner):
    result = runner.invoke(args=["create-user", "qian", "--role", "填报人", "--unit", "某县教育局"], input="secret-pass-1\nsecret-pass-1\n")
    assert result.exit_code == 0, result.output
    assert "已创建账号 qian（填报人，某县教育局）" in result.output
    assert app.test_client().post("/login", data={"username": "qian", "password": "secret-pass-1"}).status_code == 303
    again = runner.invoke(args=["create-user", "qian", "--role", "审核人"], input="secret-pass-1\nsecret-pass-1\n")
    assert again.exit_code != 0 and "已存在" in again.output
    no_unit = runner.invoke(args=["create-user", "sun", "--role", "填报人"], input="secret-pass-1\nsecret-pass-1\n")
    assert no_unit.exit_code != 0 and "--unit" in no_unit.output


# --- Sessions end when they should ----------------------------------------------------------

def logged_in(app, username: str, password: str):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": password}).status_code == 303
    return client


def test_a_cookie_saved_before_logout_opens_nothing_after(app):
    password = add_user(app, "zhang", Role.FILLER, "会同县工商联")
    client = logged_in(app, "zhang", password)
    saved = client.get_cookie("session").value
    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("session", saved)
    assert thief.get("/").status_code == 302


def test_a_password_reset_or_deactivation_ends_the_accounts_open_sessions(app, client):
    password = add_user(app, "zhang", Role.FILLER, "会同县工商联")
    zhang = logged_in(app, "zhang", password)
    with app.app_context():
        zhang_id = db.session.scalars(select(User.id).where(User.username == "zhang")).one()
    client.post(f"/admin/users/{zhang_id}/password", data={"password": "a-new-password-1"})
    assert zhang.get("/").status_code == 302
    zhang = logged_in(app, "zhang", "a-new-password-1")
    client.post(f"/admin/users/{zhang_id}/active")  # deactivate
    assert zhang.get("/").status_code == 302


def test_login_and_logout_start_a_new_session_with_a_new_csrf_token(csrf_app):
    import re

    password = add_user(csrf_app, "zhang", Role.FILLER, "会同县工商联")
    client = csrf_app.test_client()
    token = lambda page: re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)  # noqa: E731
    before = token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": "zhang", "password": password, "csrf_token": before})
    during = token(client.get("/sheets/new").get_data(as_text=True))
    assert during != before
    client.post("/logout", data={"csrf_token": during})
    assert token(client.get("/login").get_data(as_text=True)) != during


def test_no_administrator_deactivates_themselves_or_the_last_one(app, client):
    with app.app_context():
        admin_id = db.session.scalars(select(User.id).where(User.username == "admin")).one()
    client.post(f"/admin/users/{admin_id}/active")
    assert "不能停用自己的账号" in client.get("/admin/users").get_data(as_text=True)
    add_user(app, "second", Role.ADMIN)
    with app.app_context():
        second = db.session.scalars(select(User).where(User.username == "second")).one()
        second_id = second.id
    client.post(f"/admin/users/{second_id}/active")  # two active: one may go
    with app.app_context():
        assert db.session.get(User, second_id).active is False
        # The last active administrator stays, whoever asks (here: forced through the rule itself).
        from goalsapp.domain import access
        assert access.why_not_deactivate(db.session.get(User, second_id), db.session.get(User, admin_id), 1) == \
            "这是最后一个在用的管理员账号，不能停用。"


def test_the_header_names_a_person_once(app):
    password = add_user(app, "管理员", Role.ADMIN)
    page = logged_in(app, "管理员", password).get("/").get_data(as_text=True)
    assert "管理员（管理员）" not in page and "<span>管理员</span>" in page


def test_renaming_a_unit_renames_it_on_its_sheets_and_keeps_its_filler(seeded, filler, client):
    with seeded.app_context():
        unit = db.session.scalars(select(Unit).where(Unit.name == "会同县工商联")).one()
    taken = client.post(f"/admin/units/{unit.id}", data={f"unit{unit.id}-name": "会同县工商联"})
    assert taken.status_code == 422 and "已有这个单位" in taken.get_data(as_text=True)
    blank = client.post(f"/admin/units/{unit.id}", data={f"unit{unit.id}-name": "  "})
    assert blank.status_code == 422 and "请填写单位名称" in blank.get_data(as_text=True)

    assert client.post(f"/admin/units/{unit.id}", data={f"unit{unit.id}-name": "会同县工商业联合会"}).status_code == 303
    listed = filler.get("/").get_data(as_text=True)
    assert "2021年 · 会同县工商业联合会" in listed and "基层商会专项经费" in listed  # the filler still sees their sheets
    assert "填报单位：会同县工商业联合会" in filler.get("/sheets/1/print").get_data(as_text=True)
    assert filler.post("/sheets/1", data={}).status_code != 403  # and may still edit them
