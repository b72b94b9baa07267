"""The name a browser saves a download under, made from stored text."""
import re

from ...domain.text import normalize

# Windows refuses these in a file name; / and \ split paths everywhere.
NOT_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*]')
STEM_CHARACTERS = 80  # 240 bytes of UTF-8 Chinese: within every file system's 255


def download_name(name: str, suffix: str = "") -> str:
    """name as a safe file name, the extension kept: one line (a line break in a header is a
    500), nothing invisible (U+202E turns the rest of a name around, hiding its real ending),
    no path, nothing Windows refuses, short enough for any file system; suffix (a number that
    tells it from another) goes last before the extension, never cut off."""
    stem, dot, extension = name.rpartition(".") if "." in name else (name, "", "")
    stem = NOT_IN_FILE_NAMES.sub("_", normalize(stem, multiline=False))[:STEM_CHARACTERS - len(suffix)]
    stem = stem.strip(" .") or "导出"  # no hidden ".name", no trailing dot that Windows drops
    return f"{stem}{suffix}{dot}{extension}"


def numbered_download_name(name: str, taken: set[str]) -> str:
    """download_name(name), numbered (2), (3)… while another file of the same archive has that
    name in any letter case (taken holds them casefolded; Windows tells no case apart). Units
    whose names differ only where a file name cannot hold them (城建/规划站, 城建:规划站) or only
    past STEM_CHARACTERS would otherwise unpack into one file, each over the one before."""
    safe, number = download_name(name), 1
    while safe.casefold() in taken:
        number += 1
        safe = download_name(name, f"({number})")
    taken.add(safe.casefold())
    return safe
