"""Errors the domain reports to its faces (web pages and CLI commands)."""


class ReadError(ValueError):
    """A file that cannot be read as goal sheets; says which file and line, in Chinese."""

    def __init__(self, source: str, line: int | None, reason: str):
        where = f"{source} 第{line}行" if line else source
        super().__init__(f"{where}：{reason}")
        self.source, self.line, self.reason = source, line, reason
