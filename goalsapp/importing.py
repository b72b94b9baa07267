"""Import goal sheets from files: read every file first, then store all or nothing.

The format is told by the content, not the name: .xlsx and .docx are zip files that
differ inside; anything else is read as the text Word saves.
"""
from dataclasses import dataclass, field
from enum import StrEnum
from io import BytesIO
from pathlib import Path
from zipfile import BadZipFile, ZipFile

from sqlalchemy import select

from . import history, seedtext, word, xlsx
from .errors import ReadError
from .extensions import db
from .models import GoalSheet, User

MAX_FILE_MB = 5  # far above any real table; keeps a stray upload harmless
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLD_OFFICE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls / .doc before 2007


def decode(data: bytes, source: str) -> str:
    """Text as Word saves it: UTF-8 (with or without BOM), else the Chinese GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(source, None, "文件不是UTF-8或GB18030编码的文本")


def read_bytes(data: bytes, source: str) -> list[GoalSheet]:
    """The sheets in one file's content, not yet stored."""
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(source)
    if not data.strip():
        raise ReadError(source, None, "文件是空的")
    if data.startswith(OLD_OFFICE_MAGIC):
        raise ReadError(source, None, "这是旧版Excel/Word文件（.xls/.doc），请另存为.xlsx或.docx后再导入")
    if data.startswith(ZIP_MAGIC):
        return _read_zip(data, source)
    if source.lower().endswith((".xlsx", ".docx")):
        raise ReadError(source, None, "文件扩展名是Excel/Word，但内容不是，可能已损坏")
    return seedtext.parse(decode(data, source), source)


def _too_large(source: str) -> ReadError:
    return ReadError(source, None, f"文件超过{MAX_FILE_MB} MB，不像是绩效目标表")


def _read_zip(data: bytes, source: str) -> list[GoalSheet]:
    try:
        names = set(ZipFile(BytesIO(data)).namelist())
    except BadZipFile:
        raise ReadError(source, None, "文件已损坏，无法打开") from None
    if "xl/workbook.xml" in names:
        return xlsx.read_workbook(data, source)
    if "word/document.xml" in names:
        return word.read_document(data, source)
    raise ReadError(source, None, "压缩文件里既不是Excel工作簿也不是Word文档")


def read_sheets(path: Path) -> list[GoalSheet]:
    """The sheets in one file, not yet stored."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _too_large(str(path))
        data = path.read_bytes()
    except OSError as error:
        raise ReadError(str(path), None, f"无法读取文件（{error.strerror}）") from None
    return read_bytes(data, str(path))


class OnDuplicate(StrEnum):
    """What to do with a sheet whose unit, year and project name are already stored."""

    SKIP = "skip"
    REPLACE = "replace"
    KEEP = "keep"  # store both


@dataclass
class Outcome:
    added: list[GoalSheet] = field(default_factory=list)
    replaced: list[GoalSheet] = field(default_factory=list)
    skipped: list[GoalSheet] = field(default_factory=list)


def stored_twin(sheet: GoalSheet) -> GoalSheet | None:
    """The stored sheet with the same unit, year and project name, if any."""
    return db.session.scalars(
        select(GoalSheet).where(
            GoalSheet.unit == sheet.unit, GoalSheet.year == sheet.year, GoalSheet.project_name == sheet.project_name
        ).order_by(GoalSheet.id)
    ).first()


def store(sheets: list[GoalSheet], choices: list[OnDuplicate], user: User | None = None) -> Outcome:
    """Store read sheets in one transaction, each duplicate as its choice says, as new drafts."""
    # Find every twin before adding anything: autoflush would otherwise make a
    # sheet's twin from the same file look stored.
    twins = [stored_twin(sheet) for sheet in sheets]
    outcome = Outcome()
    for sheet, twin, choice in zip(sheets, twins, choices):
        if twin is not None and choice == OnDuplicate.SKIP:
            outcome.skipped.append(sheet)
            continue
        if twin is not None and choice == OnDuplicate.REPLACE:
            db.session.delete(twin)
            outcome.replaced.append(sheet)
        else:
            outcome.added.append(sheet)
        history.record(sheet, user, "import")
        db.session.add(sheet)
    db.session.commit()
    return outcome


def import_files(paths: list[Path], on_duplicate: OnDuplicate = OnDuplicate.SKIP) -> Outcome:
    """Read every file, then store every sheet in one transaction (from the command line: no user)."""
    sheets = [sheet for path in paths for sheet in read_sheets(path)]
    return store(sheets, [on_duplicate] * len(sheets))
