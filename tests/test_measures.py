"""Indicator values as written, understood as 指标性质 + number + 度量单位 (domain/measures.py)."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain import measures
from goalsapp.domain.importing import read_sheets
from goalsapp.domain.measures import (
    BARE_NUMBER_NATURE,
    NATURES,
    QUALITATIVE,
    QUANTITATIVE,
    Measure,
    comparable,
    from_parts,
    in_unit,
    nature_of,
    parse,
    parse_number,
    written,
)
from tests.variants.catalog import BY_CODE

D = Decimal


def parts(measure: Measure) -> tuple:
    return measure.nature, measure.number, measure.unit


@pytest.mark.parametrize("text, nature, number, unit", [
    # signs, half- and full-width
    ("≥95%", "≥", D(95), "%"), ("≤0.6万元", "≤", D("0.6"), "万元"), ("＞90%", "＞", D(90), "%"), (">90%", "＞", D(90), "%"),
    ("＜1起", "＜", D(1), "起"), ("=0", "＝", D(0), ""), ("＝100%", "＝", D(100), "%"), (">=90%", "≥", D(90), "%"),
    ("<=5次", "≤", D(5), "次"), ("≧90%", "≥", D(90), "%"), ("≥９５％", "≥", D(95), "%"), ("≥ 2,000 人次", "≥", D(2000), "人次"),
    # a bare number: BARE_NUMBER_NATURE (＝)
    ("100%", "＝", D(100), "%"), ("7个", "＝", D(7), "个"), ("0次", "＝", D(0), "次"), ("1.5万吨", "＝", D("1.5"), "万吨"),
    ("250万", "＝", D(250), "万"), ("42", "＝", D(42), ""), ("95.50%", "＝", D("95.50"), "%"),
    # words before or after the number
    ("≥2000人次", "≥", D(2000), "人次"), ("不低于95%", "≥", D(95), "%"), ("不超过30万元", "≤", D(30), "万元"),
    ("95%以上", "≥", D(95), "%"), ("1次以上", "≥", D(1), "次"), ("90%及以上", "≥", D(90), "%"), ("5%以下", "≤", D(5), "%"),
    ("控制在30万元以内", "≤", D(30), "万元"), ("30天内", "≤", D(30), "天"), ("达90%以上", "≥", D(90), "%"),
    ("达到100%", "≥", D(100), "%"), ("不少于12场", "≥", D(12), "场"), ("超过90%以上", "＞", D(90), "%"), ("低于1%", "＜", D(1), "%"),
    ("等于0起", "＝", D(0), "起"), ("=90%以上", "≥", D(90), "%"),
    # rates per something
    ("每户300元", "＝", D(300), "元/户"), ("人均500元", "＝", D(500), "元/人"), ("≤300元/人", "≤", D(300), "元/人"),
    ("810元/月(计划标准)", "＝", D(810), "元/月"), ("100%(历史标准)", "＝", D(100), "%"), ("85万头（只）", "＝", D(85), "万头(只)"),
])
def test_a_value_is_read_as_its_nature_number_and_unit(text, nature, number, unit):
    measure = parse(text)
    assert parts(measure) == (nature, number, unit) and measure.written == text.strip()


@pytest.mark.parametrize("text", [
    "按时完成", "12月底前", "较上年提高", "2021年11月底前", "2023.07-2024.01", "2021年12月", "6月中旬", "提高5个百分点",
    "90%-95%", "1-2次", "≤30%以上", "100%完成", "完成年度党建工作任务", "无", "不适用", "-", "*", "", "满意度≥90%",
])
def test_anything_not_understood_is_qualitative_and_kept_as_written(text):
    assert parse(text) == Measure(QUALITATIVE, None, "", text.strip())


@pytest.mark.parametrize("measure, text", [
    (Measure("≥", D(95), "%", ""), "≥95%"), (Measure("＝", D(7), "个", ""), "7个"), (Measure("≤", D("0.6"), "万元", ""), "≤0.6万元"),
    (Measure("＞", D(2000), "人次", ""), "＞2000人次"), (Measure("＜", D(1), "起", ""), "＜1起"), (Measure("＝", D(0), "", ""), "0"),
    (Measure("≥", D("2E+3"), "人次", ""), "≥2000人次"), (Measure("≥", D("95.50"), "%", ""), "≥95.50%"),
    (Measure(QUALITATIVE, None, "", "按时完成"), "按时完成"),
    (Measure("≥", None, "%", "按计划"), "按计划"),  # no number: the words stand
])
def test_the_parts_a_clerk_edits_are_written_back_as_the_form_text(measure, text):
    assert written(measure) == text


@given(
    nature=st.sampled_from(QUANTITATIVE),
    number=st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False, allow_infinity=False),
    unit=st.sampled_from(["", "%", "个", "万元", "人次", "元/户", "万头(只)", "年", "次"]),
)
def test_a_written_value_reads_back_as_the_same_parts(nature, number, unit):
    assert parts(parse(written(Measure(nature, number, unit, "")))) == (nature, number, unit)


@given(st.text(max_size=30))
def test_any_text_is_understood_as_some_nature_and_kept(text):
    measure = parse(text)
    assert measure.nature in NATURES and measure.written == text.strip()
    assert (measure.number is None) == (measure.nature == QUALITATIVE)


def test_a_bare_number_is_the_one_constant_and_written_without_a_sign():
    assert parse("100%").nature == BARE_NUMBER_NATURE
    assert written(parse("7个")) == "7个"


@pytest.mark.parametrize("nature, value, unit, expected, text", [
    ("≥", "95", "%", ("≥", D(95), "%"), "≥95%"), ("＝", "100", "%", ("＝", D(100), "%"), "100%"),
    ("=", "0", "次", ("＝", D(0), "次"), "0次"), (">", "85", "%", ("＞", D(85), "%"), "＞85%"),
    ("≤", "20", "元/课时", ("≤", D(20), "元/课时"), "≤20元/课时"), ("", "≥95", "%", ("≥", D(95), "%"), "≥95%"),
    ("定性", "明显减轻", "", (QUALITATIVE, None, ""), "明显减轻"),
    ("≥", "九十", "%", (QUALITATIVE, None, ""), "≥九十%"),  # a sign with no number: not understood
    ("≤", "95以上", "%", (QUALITATIVE, None, ""), "≤95以上%"),  # the column and the value disagree
    ("大约", "5", "个", (QUALITATIVE, None, ""), "大约5个"),  # not a 指标性质
])
def test_a_101_rows_three_columns_are_one_value(nature, value, unit, expected, text):
    measure = from_parts(nature, value, unit)
    assert parts(measure) == expected and measure.written == text


@pytest.mark.parametrize("text, nature", [
    ("≥", "≥"), (">=", "≥"), ("≤", "≤"), ("=", "＝"), ("＝", "＝"), (">", "＞"), ("＞", "＞"), ("<", "＜"),
    (" 定性 ", QUALITATIVE), ("", None), ("大于", None), ("正向", None),
])
def test_a_nature_column_is_read_in_the_101_spelling(text, nature):
    assert nature_of(text) == nature


@pytest.mark.parametrize("text, number", [
    ("42", D(42)), ("-3.5", D("-3.5")), ("1,200", D(1200)), ("９０", D(90)), (" 10 ", D(10)),
    ("", None), ("10%", None), ("1,20", None), ("十", None), ("1e3", None), ("NaN", None),
])
def test_a_plain_number(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("target, actual, numbers", [
    ("≥95%", "98%", (D(95), D(98))), ("≥95%", "98", (D(95), D(98))), ("=0", "2次", (D(0), D(2))),
    ("≤0.6万元", "5800元", (D("0.6"), D("0.58"))), ("250万", "2,400,000元", (D(250), D(240))),
    ("1.5万吨", "16000吨", (D("1.5"), D("1.6"))), ("≤1亿元", "8000万元", (D(1), D("0.8"))),
    ("7个", "7次", None), ("按时完成", "按时完成", None), ("≥95%", "基本完成", None),
])
def test_an_actual_is_compared_in_the_targets_unit(target, actual, numbers):
    assert comparable(parse(target), parse(actual)) == numbers


def test_money_converts_as_the_headers_amounts_do():
    assert in_unit(parse("3000元"), "万元") == D("0.3") and in_unit(parse("0.3万元"), "元") == D(3000)
    assert in_unit(parse("3000元"), "个") is None and in_unit(parse("按时"), "元") is None


# --- real values: the seed and the template variants --------------------------------------


def test_every_seed_value_is_understood():
    values = {indicator.value for sheet in read_sheets(DEMO_FILE) for indicator in sheet.indicators}
    understood = {value: parts(parse(value)) for value in values}
    assert understood == {
        "7个": ("＝", D(7), "个"), "95%": ("＝", D(95), "%"), "98%": ("＝", D(98), "%"), "100%": ("＝", D(100), "%"),
        "1次以上": ("≥", D(1), "次"), "完成年度党建工作任务": (QUALITATIVE, None, ""),
    }


@pytest.mark.parametrize("code, name, expected", [
    ("hunan_2021", "完成村庄清洁行动的行政村", ("＝", D(28), "个")),
    ("hunan_2021", "改厕验收合格率", ("≥", D(95), "%")),
    ("hunan_2021", "改厕补助每户300元，共36万元", ("＝", D(36), "万元")),
    ("hunan_2021", "改厕任务完成时间", (QUALITATIVE, None, "")),  # "2021年11月底前"
    ("hunan_2021", "农村卫生厕所普及率", (QUALITATIVE, None, "")),  # "提高5个百分点"
    ("hunan_2021", "带动农户增收", (QUALITATIVE, None, "")),  # "不适用"
    ("hunan_2023", "项目建设期", (QUALITATIVE, None, "")),  # "2023.07-2024.01"
    ("hunan_2023", "改造总投资控制在预算内", ("＝", D(250), "万")),
    ("hunan_2023", "改造设施正常使用年限", ("≥", D(10), "年")),
    ("anhui_2025", "单个健身点建设成本", ("≤", D(8), "万元")),
    ("anhui_2025", "举办全民健身赛事活动", ("＝", D(20), "场次")),
    ("sichuan_2023", "课后服务教师补助标准", ("≤", D(20), "元/课时")),
    ("sichuan_2023", "课后服务期间安全责任事故", ("＜", D(1), "起")),
    ("sichuan_2023", "参与课后服务学生人数", ("≥", D("3.5"), "万人")),
    ("sichuan_2023", "参与教师满意度", ("＞", D(85), "%")),
    ("sichuan_2023", "减轻家长接送时间成本", (QUALITATIVE, None, "")),
    ("hubei_2019", "每场送戏下乡补助标准", ("＝", D(5000), "元/场")),
    ("hubei_2019", "受益群众人次", ("＝", D(15), "万人次")),
    ("hubei_2019", "资金拨付时间", (QUALITATIVE, None, "")),  # "2019年12月31日前"
    ("guangdong_2019", "年度投资", ("≤", D(800), "万元")),
    ("guangdong_2019", "带动农户增收", ("＝", D(200), "元/人")),  # "人均200元"
    ("guangdong_2019", "农产品产后损耗率", (QUALITATIVE, None, "")),  # "下降2个百分点"
    ("fujian_2019_department", "城乡低保保障人数", ("＝", D(5200), "人")),  # "5200人(计划标准)"
    ("fujian_2019_department", "节地生态安葬比例", ("≥", D(30), "%")),  # "≥30%(行业标准)"
    ("fujian_2019_department", "城市低保月人均标准", ("＝", D(810), "元/月")),
    ("fujian_2019_department", "社会救助制度运行", (QUALITATIVE, None, "")),  # "长期(其他标准)"
    ("flat_list", "新建高标准农田面积", ("≥", D("1.2"), "万亩")),
    ("flat_list", "亩均建设成本", ("≤", D("275.82"), "元/亩")),
    ("flat_list", "畜禽强制免疫数量", ("≥", D(85), "万头(只)")),
    ("flat_list", "区域性重大动物疫情发生次数", ("＝", D(0), "次")),
])
def test_template_variant_values(code, name, expected):
    (record,) = [record for record in BY_CODE[code].indicators if _name(record) == name]
    assert parts(_measure(record)) == expected


def test_what_stays_qualitative_in_the_variants_has_no_quantity_to_score():
    """Of every value in the eight template variants, only dates, changes against a base, "不适用"
    and words stay 定性: each number a clerk wrote as a quantity is read."""
    left = {_measure(record).written for variant in BY_CODE.values() for record in variant.indicators
            if _measure(record).nature == QUALITATIVE}
    assert {text for text in left if any(character.isdigit() for character in text)} == {
        "2021年11月底前", "提高5个百分点", "2023.07-2024.01", "2025年10月底前", "2019年12月31日前", "2019年12月", "下降2个百分点",
    }


def _name(record: dict[str, str]) -> str:
    return record.get("三级指标") or record.get("三级") or record.get("年度指标/三级指标", "")


def _measure(record: dict[str, str]) -> Measure:
    if "指标性质" in record:
        return from_parts(record["指标性质"], record["指标值"], record["度量单位"])
    value = next(record[key] for key in ("指标值及单位", "指标值", "年度指标/计划指标值", "目标值") if key in record)
    return parse(value)


def test_nature_constants_are_the_101_forms_spelling():
    assert NATURES == ("≥", "≤", "＝", "＞", "＜", "定性") and measures.REVERSE == ("≤", "＜")
