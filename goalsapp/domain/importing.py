"""Import goal sheets from files: read every file first, then store all or nothing.

The format is told by the content, not the name: .xlsx and .docx are zip files that
differ inside; anything else is read as the text Word saves.
"""
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select

from ..extensions import db
from ..formats import documents, excel, ooxml, text, word
from ..formats.documents import Contents
from . import access, attaching, history, limits
from .copying import HEADER_FIELDS, INDICATOR_FIELDS
from .errors import ReadError
from .formtemplates import FormTemplate
from .models import GoalSheet, Indicator, Unit, User

MAX_FILE_MB = 5  # far above any real table; keeps a stray upload harmless
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLD_OFFICE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls / .doc before 2007


def read_bytes(data: bytes, source: str, template: FormTemplate | None = None) -> list[GoalSheet]:
    """The sheets in one file's content, not yet stored; read in the given form, else the
    form each table's title and labels fit best. A file that also holds a self-evaluation or
    a monitoring is read on the upload page (read_contents), where they attach to their sheets."""
    found = read_contents(data, source, template)
    if found.documents:
        raise ReadError(source, found.documents[0].place, f"这是{found.documents[0].name}，不是绩效目标表：请在网页的“导入”里导入，"
                                                          "它会接到同一项目的目标表上")
    return found.sheets


def read_contents(data: bytes, source: str, template: FormTemplate | None = None) -> Contents:
    """What one file holds, not yet stored: target sheets (read in the given form, else the form
    each table's title and labels fit best), and self-evaluations and monitorings
    (formats.documents), each read from the same rows of cells whatever the format."""
    found = _read(data, source, template)
    if len(found.sheets) > limits.SHEETS_PER_FILE:  # forms are counted before reading; a flat list's projects only after
        raise ReadError(source, None, f"文件里有{len(found.sheets)}张表，一个文件最多{limits.SHEETS_PER_FILE}张，请分成几个文件导入")
    return found


def _read(data: bytes, source: str, template: FormTemplate | None) -> Contents:
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(source)
    if not data.strip():
        raise ReadError(source, None, "文件是空的")
    if data.startswith(OLD_OFFICE_MAGIC):
        # Excel and Word also wrap a file saved with an opening password in this old format.
        raise ReadError(source, None, "这是旧版Excel/Word文件（.xls/.doc）或设了打开密码的文件：请去掉密码，另存为.xlsx或.docx后再导入")
    if data.startswith(ZIP_MAGIC):
        return _read_zip(data, source, template)
    if source.lower().endswith((".xlsx", ".docx")):
        raise ReadError(source, None, "文件扩展名是Excel/Word，但内容不是，可能已损坏")
    return documents.contents(text.rows_of(text.decode(data, source)), source, "文本", template)


def _too_large(source: str) -> ReadError:
    return ReadError(source, None, f"文件超过{MAX_FILE_MB} MB，不像是绩效目标表")


def _read_zip(data: bytes, source: str, template: FormTemplate | None) -> Contents:
    names = ooxml.check(data, source)  # before any library parses a part of it
    if "xl/workbook.xml" in names:
        return excel.read_contents(data, source, template)
    if "word/document.xml" in names:
        return documents.contents(word.document_rows(data, source), source, "文档", template)
    raise ReadError(source, None, "压缩文件里既不是Excel工作簿也不是Word文档")


def fill_blank_units(sheets: list[GoalSheet], own_unit: str | None, source: str) -> None:
    """A form's 填报单位 is often left blank ("填报单位：（盖章）"): it is then the uploader's own.
    One who belongs to no unit (an administrator, the command line) must have it in the file."""
    for sheet in sheets:
        if not sheet.unit:
            if not own_unit:
                raise ReadError(source, None, f"“{sheet.project_name}”的填报单位是空的：请在上传时写明算作哪个单位，或在文件里填写填报单位")
            sheet.unit = own_unit


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
    documents: list[attaching.Plan] = field(default_factory=list)  # self-evaluations and monitorings, each in place


def stored_twin(sheet: GoalSheet) -> GoalSheet | None:
    """The stored sheet with the same unit, year and project name, if any."""
    return db.session.scalars(
        select(GoalSheet).where(
            GoalSheet.unit_id == Unit.id_named(sheet.unit), GoalSheet.year == sheet.year, GoalSheet.project_name == sheet.project_name
        ).order_by(GoalSheet.id)
    ).first()


class ImportRefused(Exception):
    """An import that would change a sheet no longer open to changes; said in Chinese."""


def store(sheets: list[GoalSheet], choices: list[OnDuplicate], user: User | None = None,
          documents: list[attaching.Plan] = ()) -> Outcome:
    """Store read sheets in one transaction, each duplicate as its choice says; new ones as drafts;
    and the file's self-evaluations and monitorings as planned (attaching.plan), in the same one.

    Replacing keeps the stored sheet (its id, status and history) and records the import as
    one change; a sheet that is submitted or approved is refused exactly as an edit is, and
    then nothing of the file is stored.
    """
    # Find every twin before adding anything: autoflush would otherwise make a
    # sheet's twin from the same file look stored.
    twins = [stored_twin(sheet) for sheet in sheets]
    locked = [twin for twin, choice in zip(twins, choices)
              if twin is not None and choice == OnDuplicate.REPLACE and not may_replace(user, twin)]
    if locked:
        names = "、".join(f"“{twin.project_name}”（{twin.status}）" for twin in locked)
        raise ImportRefused(f"没有导入任何内容：{names}已不能修改，不能替换。请选“跳过”或“两份都保留”。")
    outcome = Outcome()
    for sheet, twin, choice in zip(sheets, twins, choices):
        if twin is not None and choice == OnDuplicate.SKIP:
            outcome.skipped.append(sheet)
        elif twin is not None and choice == OnDuplicate.REPLACE:
            replace_contents(twin, sheet, user)
            outcome.replaced.append(twin)
        else:
            history.record(sheet, user, "import")
            db.session.add(sheet)
            outcome.added.append(sheet)
    attaching.store(list(documents), user)
    outcome.documents = list(documents)
    db.session.commit()
    return outcome


def may_replace(user: User | None, twin: GoalSheet) -> bool:
    """As an edit: the sheet is open to changes, and (on the web) this user may make them."""
    return twin.status in access.EDITABLE and (user is None or access.can_edit(user, twin))


def replace_contents(twin: GoalSheet, sheet: GoalSheet, user: User | None) -> None:
    """Give the stored twin the read sheet's header and rows, recorded as one change, old → new."""
    def apply() -> None:
        for name in HEADER_FIELDS:
            if name != "unit":
                setattr(twin, name, getattr(sheet, name))
        twin.period_start, twin.period_end = sheet.period_start, sheet.period_end
        twin.indicators = [Indicator(**{name: getattr(row, name) for name in INDICATOR_FIELDS}) for row in sheet.indicators]

    twin.header_version += 1
    history.change(twin, user, "import", lambda: history.header_snapshot(twin) | _row_texts(twin.indicators), apply)


def _row_texts(indicators: list[Indicator]) -> dict[str, str]:
    """Each row by its category and name, its cells as its text: a changed value reads old → new,
    a row taken out or put in has no new or no old, the same rows in another order are no change."""
    texts, seen = {}, Counter()
    for row in indicators:
        name = f"指标：{row.level2}／{row.name}"
        seen[name] += 1
        texts[name + (f"（{seen[name]}）" if seen[name] > 1 else "")] = "；".join(
            text for text in (row.value, row.standard, *(row.extra or {}).values()) if text)
    return texts


def import_files(paths: list[Path], on_duplicate: OnDuplicate = OnDuplicate.SKIP) -> Outcome:
    """Read every file, then store every sheet in one transaction (from the command line: no user)."""
    sheets = []
    for path in paths:
        read = read_sheets(path)
        fill_blank_units(read, None, str(path))
        sheets += read
    return store(sheets, [on_duplicate] * len(sheets))
