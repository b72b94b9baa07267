"""The name a browser saves a download under, made from stored text."""
import re

from ...domain.text import normalize

# Windows refuses these in a file name; / and \ split paths everywhere.
NOT_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*]')
STEM_CHARACTERS = 80  # 240 bytes of UTF-8 Chinese: within every file system's 255


def download_name(name: str) -> str:
    """name as a safe file name, the extension kept: one line (a line break in a header is a
    500), nothing invisible (U+202E turns the rest of a name around, hiding its real ending),
    no path, nothing Windows refuses, short enough for any file system."""
    stem, dot, extension = name.rpartition(".") if "." in name else (name, "", "")
    stem = NOT_IN_FILE_NAMES.sub("_", normalize(stem, multiline=False))[:STEM_CHARACTERS]
    stem = stem.strip(" .") or "导出"  # no hidden ".name", no trailing dot that Windows drops
    return f"{stem}{dot}{extension}"
