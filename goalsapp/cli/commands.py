"""`flask` commands: set up the database, import sheets from files."""
import secrets
import sqlite3
from contextlib import closing
from pathlib import Path

import click
import flask_migrate
from flask.cli import with_appcontext
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import selectinload

from ..domain.copying import CopyRefused, copy_unit_year
from ..domain.errors import ReadError
from ..domain.importing import ImportRefused, OnDuplicate, Outcome, import_files
from ..domain.models import GoalSheet, Role, Unit, User, previous_year_sheets, unit_named, unit_year_sheets
from ..domain.review import review
from ..extensions import db
from ..formats.excel import write_workbook
from ..web.admin.forms import MIN_PASSWORD
from ..web.filters import money

DEMO_FILE = Path(__file__).parent / "demo" / "huitong_gsl_2021.txt"
FIRST_RELEASED_SCHEMA = "0001"


def upgrade_database() -> None:
    """Bring the schema to the newest migration, keeping every row.

    A database made before migrations existed holds the first released schema.
    """
    tables = inspect(db.engine).get_table_names()
    if "goal_sheet" in tables and "alembic_version" not in tables:
        flask_migrate.stamp(revision=FIRST_RELEASED_SCHEMA)
    flask_migrate.upgrade()


@click.command("init-db")
@click.option("--demo", is_flag=True, help="Load the demo sheets if the database has none.")
@with_appcontext
def init_db_command(demo: bool) -> None:
    """Create the tables if missing; with --demo, load the demo sheets into an empty database.

    With no account yet, make an administrator with a random password, shown only now.
    """
    upgrade_database()
    if demo and not db.session.scalar(select(func.count(GoalSheet.id))):
        _report(import_files([DEMO_FILE]))
    password = None if db.session.scalar(select(func.count(User.id))) else _first_administrator()
    db.session.commit()
    click.echo("数据库已就绪。")
    if password:
        # Last, and framed: `make run` starts the server right after, and this must not scroll away.
        click.echo(_first_password_notice(password))


def _first_administrator() -> str:
    """Add the administrator `admin` with a random password; returns the password."""
    password = secrets.token_urlsafe(12)
    admin = User(username="admin", display_name="管理员", role=Role.ADMIN)
    admin.set_password(password)
    db.session.add(admin)
    return password


def _first_password_notice(password: str) -> str:
    rule = "=" * 64
    return "\n".join((
        "", rule,
        "  已创建管理员账号（密码只显示这一次，请记下）",
        "  用户名：admin",
        f"  密码：  {password}",
        "  登录后可在“账号”里添加其他人。",
        rule, "",
    ))


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True, help="填报人 / 审核人 / 管理员")
@click.option("--unit", help="the unit of a 填报人 (created if new)")
@click.option("--name", "display_name", default="", help="the person's name as shown")
@click.password_option("--password", prompt="密码", confirmation_prompt="再输一次")
@with_appcontext
def create_user_command(username: str, role: str, unit: str | None, display_name: str, password: str) -> None:
    """Create an account; the password is asked for, never stored in clear."""
    upgrade_database()
    if db.session.scalars(select(User).where(User.username == username)).first():
        raise click.ClickException(f"用户名“{username}”已存在。")
    if role == Role.FILLER and not unit:
        raise click.ClickException("填报人必须用 --unit 指定单位。")
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"密码至少{MIN_PASSWORD}位。")
    user = User(username=username, display_name=display_name, role=Role(role))
    if unit:
        user.unit = unit_named(unit)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"已创建账号 {username}（{role}{'，' + unit if unit else ''}）。")


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--on-duplicate",
    type=click.Choice([choice.value for choice in OnDuplicate]),
    default=OnDuplicate.SKIP.value,
    show_default=True,
    help="A sheet whose unit, year and project name are already stored: skip it, replace the stored one, or keep both.",
)
@with_appcontext
def import_command(paths: tuple[Path, ...], on_duplicate: str) -> None:
    """Import goal sheets from .xlsx, .docx or Word-text files; all files or nothing."""
    upgrade_database()
    try:
        outcome = import_files(list(paths), OnDuplicate(on_duplicate))
    except ReadError as error:
        raise click.ClickException(f"{error}。未导入任何数据。") from None
    except ImportRefused as error:
        raise click.ClickException(str(error)) from None
    _report(outcome)


def _report(outcome: Outcome) -> None:
    for verb, sheets in (("导入", outcome.added), ("替换", outcome.replaced), ("跳过（已存在）", outcome.skipped)):
        for sheet in sheets:
            click.echo(
                f"{verb}：{sheet.year}年 {sheet.unit} {sheet.project_name}，"
                f"{money(sheet.local_budget)} 万元，{len(sheet.indicators)} 个指标"
            )
    click.echo(f"共导入 {len(outcome.added)} 张表，替换 {len(outcome.replaced)} 张，跳过 {len(outcome.skipped)} 张。")


@click.command("export")
@click.option("--unit", required=True, help="填报单位")
@click.option("--year", required=True, type=int)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="the .xlsx to write")
@with_appcontext
def export_command(unit: str, year: int, output: Path) -> None:
    """Export every sheet of a unit and year to one .xlsx: the paper form per sheet, and a flat list."""
    sheets = unit_year_sheets(unit, year)
    if not sheets:
        raise click.ClickException(f"没有找到{unit} {year}年的绩效目标表。")
    output.write_bytes(write_workbook(sheets))
    click.echo(f"已导出 {len(sheets)} 张表到 {output}。")


@click.command("copy-year")
@click.option("--unit", required=True, help="填报单位")
@click.option("--from", "from_year", required=True, type=int)
@click.option("--to", "to_year", required=True, type=int)
@with_appcontext
def copy_year_command(unit: str, from_year: int, to_year: int) -> None:
    """Copy every sheet of a unit from one year to another, as new drafts; the originals stay."""
    try:
        copies, left_out = copy_unit_year(unit, from_year, to_year, user=None)
    except CopyRefused as error:
        raise click.ClickException(str(error)) from None
    if not copies and not left_out:
        raise click.ClickException(f"没有找到{unit} {from_year}年的绩效目标表。")
    db.session.commit()
    for copy in copies:
        moved = f"，文中年份顺延 {len(copy.moved)} 处" if copy.moved else ""
        left_out = f"；新表没有位置、未复制：{'、'.join(copy.left_out())}" if copy.left_out() else ""
        click.echo(f"复制：{copy.sheet.project_name}，{len(copy.sheet.indicators)} 个指标{moved}{left_out}")
    for sheet in left_out:
        click.echo(f"跳过（{to_year}年已有）：{sheet.project_name}")
    click.echo(f"共复制 {len(copies)} 张表到{to_year}年。")


@click.command("check")
@click.option("--unit", help="only this 填报单位")
@click.option("--year", type=int, help="only this year")
@with_appcontext
def check_command(unit: str | None, year: int | None) -> None:
    """Review sheets: print each sheet's findings; exit 1 when any is blocking."""
    query = select(GoalSheet).order_by(GoalSheet.year, GoalSheet.unit_id, GoalSheet.id).options(selectinload(GoalSheet.indicators))
    if unit:
        query = query.where(GoalSheet.unit_id == Unit.id_named(unit))
    if year:
        query = query.where(GoalSheet.year == year)
    sheets = db.session.scalars(query).all()
    previous = previous_year_sheets(sheets)
    blocking = 0
    for sheet in sheets:
        report = review(sheet, previous.get((sheet.unit, sheet.project_name, sheet.year - 1)))
        blocking += report.blocking
        click.echo(f"{sheet.year}年 {sheet.unit} {sheet.project_name}：强制 {report.blocking}，提示 {report.warnings}")
        for finding in report.findings:
            where = f"［{finding.indicator.level2}“{finding.indicator.name}”］" if finding.indicator else ""
            click.echo(f"  {finding.level}  {where}{finding.message}")
    click.echo(f"共检查 {len(sheets)} 张表，强制问题 {blocking} 个。")
    if blocking:
        raise SystemExit(1)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Copy the SQLite database to PATH with SQLite's online backup: consistent while the app serves."""
    live = _sqlite_connection()
    try:
        with closing(sqlite3.connect(path)) as copy:
            live.driver_connection.backup(copy)
            sheets = _check_integrity(copy, path)
    finally:
        live.close()
    click.echo(f"已备份到 {path}：{sheets} 张表，完整性检查通过。")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="恢复会用备份替换当前数据库的全部内容。请先停止服务。继续吗？")
@with_appcontext
def restore_command(path: Path) -> None:
    """Replace the database with a backup made by `flask backup` (stop the app first)."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as copy:
        sheets = _check_integrity(copy, path)
        live = _sqlite_connection()
        try:
            copy.backup(live.driver_connection)
        finally:
            live.close()
    db.engine.dispose()
    upgrade_database()  # a backup from an older release gets the newer schema
    click.echo(f"已从 {path} 恢复：{sheets} 张表。")


def _sqlite_connection():
    if db.engine.dialect.name != "sqlite":
        raise click.ClickException("这个命令只用于SQLite；PostgreSQL请用 pg_dump / pg_restore。")
    return db.engine.raw_connection()


def _check_integrity(connection: sqlite3.Connection, path: Path) -> int:
    try:
        intact = connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        sheets = connection.execute("SELECT count(*) FROM goal_sheet").fetchone()[0] if intact else 0
    except sqlite3.DatabaseError:
        intact = False
    if not intact:
        raise click.ClickException(f"{path} 不是完好的goalsapp数据库备份，不能使用。")
    return sheets
