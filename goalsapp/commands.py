"""`flask` commands: set up the database, import sheets from files."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from .errors import ReadError
from .extensions import db
from .filters import money
from .importing import import_files
from .models import GoalSheet

DEMO_FILE = Path(__file__).parent / "demo" / "huitong_gsl_2021.txt"


@click.command("init-db")
@click.option("--demo", is_flag=True, help="Load the demo sheets if the database has none.")
@with_appcontext
def init_db_command(demo: bool) -> None:
    """Create the tables if missing; with --demo, load the demo sheets into an empty database."""
    db.create_all()
    if demo and not db.session.scalar(select(func.count(GoalSheet.id))):
        _report(import_files([DEMO_FILE]))
    click.echo("数据库已就绪。")


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@with_appcontext
def import_command(paths: tuple[Path, ...]) -> None:
    """Import goal sheets from files laid out like the paper form; all files or nothing."""
    db.create_all()
    try:
        sheets = import_files(list(paths))
    except ReadError as error:
        raise click.ClickException(f"{error}。未导入任何数据。") from None
    _report(sheets)


def _report(sheets: list[GoalSheet]) -> None:
    for sheet in sheets:
        click.echo(
            f"{sheet.year}年 {sheet.unit} {sheet.project_name}："
            f"{money(sheet.local_budget)} 万元，{len(sheet.indicators)} 个指标"
        )
    click.echo(f"共导入 {len(sheets)} 张表。")
