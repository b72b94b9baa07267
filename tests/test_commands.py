import re

from sqlalchemy import func, select

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.models import GoalSheet, Indicator
from goalsapp.extensions import db


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_import_stores_every_sheet_and_says_what(app, runner):
    result = runner.invoke(args=["import", str(DEMO_FILE)])
    assert result.exit_code == 0, result.output
    assert "导入：2021年 会同县工商联 基层商会专项经费，14 万元，8 个指标" in result.output
    assert "共导入 5 张表，替换 0 张，跳过 0 张" in result.output
    assert count(app, GoalSheet) == 5
    assert count(app, Indicator) == 55


def test_importing_again_skips_what_is_stored_unless_told_otherwise(app, runner):
    runner.invoke(args=["import", str(DEMO_FILE)])
    again = runner.invoke(args=["import", str(DEMO_FILE)])
    assert "跳过（已存在）：2021年 会同县工商联 光彩事业项目" in again.output
    assert count(app, GoalSheet) == 5
    replaced = runner.invoke(args=["import", "--on-duplicate", "replace", str(DEMO_FILE)])
    assert "共导入 0 张表，替换 5 张，跳过 0 张" in replaced.output
    assert (count(app, GoalSheet), count(app, Indicator)) == (5, 55)
    runner.invoke(args=["import", "--on-duplicate", "keep", str(DEMO_FILE)])
    assert count(app, GoalSheet) == 10


def test_a_bad_file_among_good_ones_imports_nothing(app, runner, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(DEMO_FILE.read_text().replace("\t2.4\n", "\t两万四\n", 1))
    result = runner.invoke(args=["import", str(DEMO_FILE), str(bad)])
    assert result.exit_code != 0
    assert f"{bad} 第" in result.output and "金额“两万四”不是数字" in result.output
    assert "未导入任何数据" in result.output
    assert count(app, GoalSheet) == 0


def test_a_missing_file_is_reported_not_a_traceback(app, runner, tmp_path):
    result = runner.invoke(args=["import", str(tmp_path / "nope.txt")])
    assert result.exit_code != 0
    assert "nope.txt：无法读取文件" in result.output
    assert count(app, GoalSheet) == 0


def test_demo_data_loads_only_into_an_empty_database(app, runner):
    first = runner.invoke(args=["init-db", "--demo"])
    second = runner.invoke(args=["init-db", "--demo"])
    assert "共导入 5 张表" in first.output
    assert "共导入" not in second.output and "数据库已就绪" in second.output
    assert count(app, GoalSheet) == 5


def test_init_db_without_demo_leaves_it_empty(app, runner):
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert count(app, GoalSheet) == 0


def test_the_first_password_comes_last_in_a_frame_and_only_once(app, runner):
    printed = runner.invoke(args=["init-db", "--demo"]).output
    # `make run` starts the server right after: the frame must end the output to be seen.
    frame = re.search(r"\n(=+)\n((?:.*\n)+?)\1\n*\Z", printed).group(2)
    assert "用户名：admin" in frame
    password = re.search(r"密码：\s*(\S+)", frame).group(1)
    response = app.test_client().post("/login", data={"username": "admin", "password": password})
    assert response.status_code == 303
    assert "密码" not in runner.invoke(args=["init-db", "--demo"]).output
