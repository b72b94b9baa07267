"""Schema migrations: the models and the migrations agree, and an old database upgrades in place."""
from datetime import datetime

import flask_migrate
from sqlalchemy import inspect, select, text

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.importing import import_files
from goalsapp.domain.models import Evaluation, GoalSheet, Indicator, Monitoring, SheetEvent, Unit, User
from goalsapp.extensions import db


def test_the_migrations_build_exactly_the_models_schema(app_factory):
    app = app_factory(migrated=False)
    with app.app_context():
        flask_migrate.upgrade()
        flask_migrate.check()  # raises if the models hold anything the migrations do not


def test_a_database_of_the_first_released_schema_upgrades_with_every_row(app_factory):
    app = app_factory(migrated=False)
    with app.app_context():
        flask_migrate.upgrade(revision="0001")
        assert "version" not in {c["name"] for c in inspect(db.engine).get_columns("goal_sheet")}
        # Fill it as the first release would have: plain SQL, for the models have moved on.
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO goal_sheet (id, unit, year, framework, project_name, budget_dept, local_budget, higher_funds,"
                " period_start, period_end, period_goal, annual_goal, status, review_comment)"
                " VALUES (1, '会同县工商联', 2021, 'hunan-2021', '基层商会专项经费', '行政政法', 140000, NULL,"
                " '2021-01-01', '2021-12-01', '目标', '年度目标', '已退回', '请改')"))
            for n in range(1, 13):
                connection.execute(text(
                    "INSERT INTO indicator (sheet_id, position, level1, level2, name, value, standard)"
                    f" VALUES (1, {n}, '产出指标', '数量指标', '指标{n}', '{n}个', '计划标准')"))
            connection.execute(text(
                """INSERT INTO "user" (id, username, display_name, password_hash, role, active) VALUES (1, 'zhang', '张', 'x', '填报人', TRUE)"""))
            connection.execute(text("INSERT INTO sheet_event (sheet_id, user_id, at, action, changes) VALUES (1, 1, '2021-03-01 08:00:00', 'return', '[]')"))

        flask_migrate.upgrade()

        sheet = db.session.get(GoalSheet, 1)
        assert (sheet.project_name, str(sheet.local_budget.normalize()), sheet.status, sheet.review_comment, sheet.version) == (
            "基层商会专项经费", "14", "已退回", "请改", 1)
        assert [i.name for i in sheet.indicators] == [f"指标{n}" for n in range(1, 13)]
        assert sheet.unit == "会同县工商联" and db.session.scalars(select(Unit.name)).all() == ["会同县工商联"]
        assert all(i.version == 1 for i in sheet.indicators)
        assert db.session.scalars(select(SheetEvent.action)).all() == ["return"]
        assert db.session.scalars(select(User.username)).all() == ["zhang"]
        sheet.budget_dept = "改了"  # the upgraded rows take part in version checks
        db.session.commit()
        assert sheet.version == 2


def test_init_db_upgrades_a_database_made_before_migrations(app_factory):
    app = app_factory(migrated=False)
    with app.app_context():
        flask_migrate.upgrade(revision="0001")
        db.session.execute(text("DROP TABLE alembic_version"))  # as `create_all` left it, before migrations
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["init-db", "--demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Indicator.id))) == 55
        assert "version" in {c["name"] for c in inspect(db.engine).get_columns("indicator")}


def test_make_runs_setup_twice_keeps_the_data(app_factory):
    app = app_factory(migrated=False)
    runner = app.test_cli_runner()
    runner.invoke(args=["init-db", "--demo"])
    with app.app_context():
        import_files([DEMO_FILE])  # skipped: already there
        before = db.session.scalar(select(db.func.count(GoalSheet.id)))
    runner.invoke(args=["init-db", "--demo"])
    with app.app_context():
        assert db.session.scalar(select(db.func.count(GoalSheet.id))) == before == 5


def test_sheets_waiting_for_review_keep_their_place_in_the_queue_through_the_upgrade(app_factory):
    """0012 puts each reviewed document's last submission time on it (the queue's order, now an
    index's): a sheet's from its own submissions, not its monitoring's or its self-evaluation's."""
    app = app_factory(migrated=False)
    with app.app_context():
        flask_migrate.upgrade(revision="0011")
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO unit (id, name) VALUES (1, '会同县工商联')"))
            for sheet_id, status in ((1, "已提交"), (2, "已提交"), (3, "草稿"), (4, "已提交")):
                connection.execute(text(
                    "INSERT INTO goal_sheet (id, unit_id, year, template, project_name, budget_dept, local_budget, period_goal,"
                    " annual_goal, status, review_comment, version, header_version, updated_at)"
                    f" VALUES ({sheet_id}, 1, 2021, 'hunan-2021', '项目{sheet_id}', '', 10000, '', '', '{status}', '', 1, 1,"
                    " '2021-03-09 08:00:00')"))
            connection.execute(text(
                "INSERT INTO evaluation (id, sheet_id, execution_reason, achieved, conclusion, problems, improvements, version, status,"
                " review_comment) VALUES (1, 3, '', '', '', '', '', 1, '已提交', '')"))
            connection.execute(text("INSERT INTO monitoring_round (id, year, month, deadline, opened_at) VALUES (7, 2021, 6, '2021-07-10', '2021-06-01')"))
            connection.execute(text("INSERT INTO monitoring (id, round_id, sheet_id, version, status, review_comment) VALUES (1, 7, 4, 1, '已提交', '')"))
            # Sheet 1 was submitted, sent back and submitted again: its last submission counts. Sheet 4's
            # only submission is its monitoring's, sheet 3's its self-evaluation's.
            for sheet_id, document, at in ((1, "target", "2021-03-01 08:00:00"), (2, "target", "2021-03-02 08:00:00"),
                                           (1, "target", "2021-03-03 08:00:00"), (4, "monitoring-7", "2021-07-01 08:00:00"),
                                           (3, "evaluation", "2022-01-05 08:00:00")):
                connection.execute(text("INSERT INTO sheet_event (sheet_id, document, at, action, changes)"
                                        f" VALUES ({sheet_id}, '{document}', '{at}', 'submit', '[]')"))

        flask_migrate.upgrade()

        waiting = db.session.scalars(select(GoalSheet).where(GoalSheet.status == "已提交").order_by(GoalSheet.submitted_at)).all()
        assert [sheet.project_name for sheet in waiting] == ["项目2", "项目1", "项目4"]  # 4 had no submit event: its last change
        assert db.session.get(GoalSheet, 4).submitted_at.replace(tzinfo=None) == datetime(2021, 3, 9, 8)
        assert db.session.get(GoalSheet, 3).submitted_at is None
        assert db.session.get(Monitoring, 1).submitted_at.replace(tzinfo=None) == datetime(2021, 7, 1, 8)
        assert db.session.get(Evaluation, 1).submitted_at.replace(tzinfo=None) == datetime(2022, 1, 5, 8)
        db.session.remove()
        flask_migrate.downgrade(revision="0011")  # and back, the data kept
        for table in ("goal_sheet", "evaluation", "monitoring"):
            assert "submitted_at" not in {c["name"] for c in inspect(db.engine).get_columns(table)}
        assert db.session.execute(text("SELECT count(*) FROM goal_sheet")).scalar() == 4
        assert db.session.execute(text("SELECT count(*) FROM monitoring")).scalar() == 1
