"""Years written in a sheet's texts (domain/years.py): what counts as a year, which belong to
the sheet, how a copy moves them, and which ones review flags."""
from datetime import date

import pytest

from goalsapp.domain.years import move_every_year, move_years, own_years, stray_years, years_in

OWN_2021 = own_years(2021, date(2021, 1, 1), date(2021, 12, 1))


@pytest.mark.parametrize(("text", "years"), [
    ("2021年12月底完成全年工作计划", [2021]),
    ("2021年7个基层商会正常运转", [2021]),
    ("《基层商会2021年度目标管理综合绩效考核办法》", [2021]),
    ("２０２１年完成", [2021]),  # full-width digits
    ("二〇二一年完成", [2021]),
    ("二零二二年底前", [2022]),
    ("2021.12前完成", [2021]),
    ("2023.07-2024.01", [2023, 2024]),
    ("2021-6-30前", [2021]),
    ("2021/01起", [2021]),
    ("2021-2023年三年行动", [2021, 2023]),
    ("较2019年增长5%", [2019]),
    # Not years: amounts, counts, rates, codes, numbers in longer numbers.
    ("下拨经费2021万元", []),
    ("2021.5万元", []),
    ("服务2021人次", []),
    ("受益群众2000户", []),
    ("电话0745-2021-5678", []),
    ("编号120215年", []),
    ("12.2021年", []),
    ("完成率95%", []),
    ("二十一年", []),
])
def test_what_counts_as_a_written_year(text, years):
    assert [written.year for written in years_in(text)] == years


@pytest.mark.parametrize(("text", "base"), [
    ("较2019年增长5%", True),
    ("比2020年提高", True),
    ("相较于2020年", True),
    ("与2020年相比增长", True),
    ("不低于2020年水平", True),
    ("2020年同期", True),
    ("以2020年为基数", True),
    ("2021年12月底完成", False),
    ("2021年度目标", False),
])
def test_a_comparisons_base_year(text, base):
    (written,) = years_in(text)
    assert written.base is base


@pytest.mark.parametrize(("year", "start", "end", "own"), [
    (2021, date(2021, 1, 1), date(2021, 12, 1), {2021}),
    (2021, date(2021, 1, 1), date(2023, 12, 1), {2021, 2022, 2023}),
    (2022, date(2020, 7, 1), date(2022, 6, 1), {2020, 2021, 2022}),
    (2021, date(2021, 1, 1), date(2020, 12, 1), {2021}),  # the seed's end before start spans nothing
    (2021, None, None, {2021}),  # a form with no 实施期 (Sichuan)
    (2021, date(2021, 7, 1), None, {2021}),
])
def test_a_sheets_own_years(year, start, end, own):
    assert own_years(year, start, end) == own


@pytest.mark.parametrize(("text", "moved"), [
    ("2021年12月底完成全年工作计划", "2022年12月底完成全年工作计划"),
    ("2021年7个基层商会正常运转", "2022年7个基层商会正常运转"),
    ("《基层商会2021年度目标管理综合绩效考核办法》", "《基层商会2022年度目标管理综合绩效考核办法》"),
    ("较2019年增长，2021年完成", "较2019年增长，2022年完成"),  # another year stays
    ("较2021年增长", "较2021年增长"),  # a comparison's base is fixed, even the sheet's own year
    ("２０２１年完成", "２０２２年完成"),
    ("二〇二一年完成", "二〇二二年完成"),
    ("二零二一年至二零二九年", "二零二二年至二零二九年"),
    ("2021.1-2021.12", "2022.1-2022.12"),
    ("2021年底完成2021万元", "2022年底完成2021万元"),  # the amount is no year
    ("完成率95%", "完成率95%"),
])
def test_copying_moves_the_sheets_own_years(text, moved):
    assert move_years(text, OWN_2021, 1) == moved


def test_years_move_once_each_even_when_the_period_spans_the_next():
    own = own_years(2021, date(2021, 1, 1), date(2022, 12, 1))
    assert move_years("2021年启动，2022年完成", own, 1) == "2022年启动，2023年完成"


def test_a_period_as_written_moves_whole():
    assert move_every_year("2021.1-2020.12", 1) == "2022.1-2021.12"


@pytest.mark.parametrize(("text", "stray"), [
    ("2022年12月底完成", []),
    ("2021年12月底完成", [2021]),  # left over from last year's sheet
    ("2021年7个基层商会，2021年12月底", [2021]),  # once each
    ("2023年底前完成", [2023]),
    ("较2019年增长", []),  # a base year in a comparison
    ("与2021年相比", []),
    ("较2025年增长", [2025]),  # a base after the sheet's year is no base
    ("下拨经费2021万元", []),
])
def test_years_that_fit_neither_the_sheets_year_nor_its_period(text, stray):
    own = own_years(2022, date(2022, 1, 1), date(2022, 12, 1))
    assert [written.year for written in stray_years(text, 2022, own)] == stray


def test_a_sheet_with_no_period_end_may_name_a_later_year_but_not_an_earlier_one():
    own = own_years(2025, None, None)
    assert [w.year for w in stray_years("到2027年建成，2024年已启动", 2025, own, later_fits=True)] == [2024]
    assert [w.year for w in stray_years("到2027年建成，2024年已启动", 2025, own)] == [2027, 2024]
