"""`flask backup` and `flask restore`: SQLite's online backup, consistent while the app writes."""
import sqlite3
import threading
from contextlib import closing

import pytest
from sqlalchemy import func, select

from goalsapp.domain.models import GoalSheet, Indicator
from goalsapp.extensions import db

from .conftest import ON_SQLITE

sqlite_only = pytest.mark.skipif(not ON_SQLITE, reason="SQLite's own backup; on PostgreSQL the command refuses (tested below)")


def rows(app):
    with app.app_context():
        return db.session.scalar(select(func.count(GoalSheet.id))), db.session.scalar(select(func.count(Indicator.id)))


@sqlite_only
def test_backup_then_restore_brings_the_data_back(seeded, client, tmp_path):
    backup = tmp_path / "goalsapp-backup.sqlite"
    result = seeded.test_cli_runner().invoke(args=["backup", str(backup)])
    assert result.exit_code == 0 and "5 张表，完整性检查通过" in result.output
    client.post("/sheets/1/delete")
    assert rows(seeded) == (4, 47)

    restored = seeded.test_cli_runner().invoke(args=["restore", "--yes", str(backup)])
    assert restored.exit_code == 0, restored.output
    assert rows(seeded) == (5, 55)
    assert "基层商会专项经费" in client.get("/").get_data(as_text=True)


@sqlite_only
def test_a_backup_taken_while_rows_are_written_is_consistent(seeded, client, tmp_path):
    stop, written = threading.Event(), []

    def keep_writing():
        while not stop.is_set() and len(written) < 400:
            response = client.post("/sheets/2/indicators", data={"level1": "产出指标", "level2": "数量指标",
                                                                 "name": f"并发{len(written)}", "value": "1个", "standard": "计划标准"})
            assert response.status_code == 200
            written.append(1)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 20:
            stop.wait(0.01)
        before = len(written)
        backup = tmp_path / "during.sqlite"
        assert seeded.test_cli_runner().invoke(args=["backup", str(backup)]).exit_code == 0
    finally:
        stop.set()
        writer.join()
    with closing(sqlite3.connect(backup)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        in_copy = copy.execute("SELECT count(*) FROM indicator WHERE name LIKE '并发%'").fetchone()[0]
        events = copy.execute("SELECT count(*) FROM sheet_event WHERE action = 'add_indicator'").fetchone()[0]
    assert before <= in_copy <= len(written)
    assert events == in_copy  # each row with its history entry: whole transactions only


@sqlite_only
def test_restore_refuses_a_damaged_file(seeded, tmp_path):
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    result = seeded.test_cli_runner().invoke(args=["restore", "--yes", str(damaged)])
    assert result.exit_code != 0 and "不是完好的goalsapp数据库备份" in result.output
    assert rows(seeded) == (5, 55)


@pytest.mark.skipif(ON_SQLITE, reason="the PostgreSQL run's half of the backup tests")
def test_on_postgresql_backup_points_to_pg_dump(seeded, tmp_path):
    result = seeded.test_cli_runner().invoke(args=["backup", str(tmp_path / "x.sqlite")])
    assert result.exit_code != 0 and "PostgreSQL请用 pg_dump" in result.output
