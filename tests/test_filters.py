from datetime import date
from decimal import Decimal

from goalsapp.domain.values import format_period, parse_period
from goalsapp.web.filters import money


def test_money_reads_as_a_clerk_writes_it():
    assert money(Decimal("14.0000")) == "14"
    assert money(Decimal("2.4000")) == "2.4"
    assert money(Decimal("0.0001")) == "0.0001"
    assert money(Decimal("100")) == "100"
    assert money(None) == ""


def test_periods_print_as_on_the_paper_form_and_read_back():
    cases = [
        ((date(2021, 1, 1), date(2020, 12, 1)), "2021.1-2020.12"),
        ((date(2021, 1, 1), None), "2021.1-"),
        ((None, date(2021, 12, 1)), "-2021.12"),
        ((None, None), ""),
    ]
    for dates, text in cases:
        assert format_period(*dates) == text
        assert parse_period(text) == dates


def test_periods_as_people_write_them():
    year_2023 = (date(2023, 1, 1), date(2023, 12, 1))
    for text in ("2023.01-2023.12", "2023-01-2023-12", "2023年1月至2023年12月", "2023/1～2023/12", "2023年", "2023"):
        assert parse_period(text) == year_2023, text
