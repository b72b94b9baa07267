"""Errors the domain reports to its faces (web pages and CLI commands)."""


class ReadError(ValueError):
    """A file that cannot be read as goal sheets; says which file and where, in Chinese."""

    def __init__(self, source: str, where: str | None, reason: str):
        super().__init__(f"{source} {where}：{reason}" if where else f"{source}：{reason}")
        self.source, self.where, self.reason = source, where, reason
