from datetime import date
from decimal import Decimal

from goalsapp.filters import money, year_month


def test_money_reads_as_a_clerk_writes_it():
    assert money(Decimal("14.0000")) == "14"
    assert money(Decimal("2.4000")) == "2.4"
    assert money(Decimal("0.0001")) == "0.0001"
    assert money(Decimal("100")) == "100"
    assert money(None) == ""


def test_year_month_as_on_the_paper_form():
    assert year_month(date(2021, 1, 1)) == "2021.1"
    assert year_month(date(2020, 12, 1)) == "2020.12"
    assert year_month(None) == ""
