"""Import goal sheets from files: read every file first, then store all or nothing."""
from pathlib import Path

from . import seedtext
from .errors import ReadError
from .extensions import db
from .models import GoalSheet


def decode(data: bytes, source: str) -> str:
    """Text as Word saves it: UTF-8 (with or without BOM), else the Chinese GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(source, 1, "文件不是UTF-8或GB18030编码的文本")


def read_sheets(path: Path) -> list[GoalSheet]:
    """The sheets in one file, not yet stored."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReadError(str(path), None, f"无法读取文件（{error.strerror}）") from None
    return seedtext.parse(decode(data, str(path)), str(path))


def import_files(paths: list[Path]) -> list[GoalSheet]:
    """Read every file, then store every sheet in one transaction."""
    sheets = [sheet for path in paths for sheet in read_sheets(path)]
    db.session.add_all(sheets)
    db.session.commit()
    return sheets
