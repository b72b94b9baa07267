"""Pages of a long list (the sheets, the overview's units): which page is shown and how many there are."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Pages:
    page: int  # from 1
    pages: int
    total: int  # what is paged, on every page

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def within(page: int, total: int, per_page: int) -> int:
    """The page asked for, or the last when it is past the end (the first before the start)."""
    return min(max(page, 1), page_count(total, per_page))
