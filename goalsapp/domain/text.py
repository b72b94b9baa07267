"""One normalising step for every text that enters: forms, htmx rows, comments, imported files.

What it drops, nobody typed on purpose, and each breaks something downstream: control
characters (PostgreSQL refuses NUL; .xlsx cannot hold them), the non-characters U+FFFE/U+FFFF
(invalid XML), the bidirectional overrides that make a file name read backwards, and the
zero-width characters that make two names look alike while they differ.
"""
import re

# C0 controls but tab and line feed, DEL and the C1 controls.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Unicode's non-characters: U+FDD0..U+FDEF and the last two code points of every plane.
NONCHARACTER = re.compile(r"[\ufdd0-\ufdef\ufffe\uffff\U0001fffe\U0001ffff\U0010fffe\U0010ffff]")
# Bidirectional controls, and the zero-width characters that make two names look the same.
INVISIBLE = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b-\u200d\u2060\ufeff\u00ad]")
LINE_BREAK = re.compile(r"\r\n?|[\u2028\u2029\x85]")
LINE_BREAKS_AND_TABS = re.compile(r"[\n\t]+")


def normalize(text: str | None, multiline: bool = True) -> str:
    """Text as it may be stored: line breaks as \\n, nothing invisible or unstorable, no
    surrounding blanks; a one-line field (project name, indicator) turns line breaks into spaces."""
    if text is None:
        return ""
    text = LINE_BREAK.sub("\n", text)  # before CONTROL, which would drop a lone \r
    text = INVISIBLE.sub("", NONCHARACTER.sub("", CONTROL.sub("", text)))
    if not multiline:
        text = LINE_BREAKS_AND_TABS.sub(" ", text)
    return text.strip()
