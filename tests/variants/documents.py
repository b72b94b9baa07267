"""The year's other documents as units hand them in: a 项目支出绩效自评表 in the 2019–22 layout
(Anhui and Sichuan counties) and in the 101-style one (Sichuan 2023), a 绩效运行监控表 in the MOF
2019 layout (财预〔2019〕136号, with 计算符号 and 计量单位 per row, and its 完成目标可能性 ticked in
boxes) and in Hubei's 2019 two-level one (年初预算数 / 1-6月执行数 / 全年预计执行数 on a line of the
header, 偏差原因分析 and 相关建议或举措 gathered under the rows, its 一级 left blank under its first
row). See /work/shared/domain.md, "The lifecycle after the target table". The projects are
invented; the layouts follow the forms.

Written as catalog.py's variants are (model.Variant, writers.py: Word's text, .docx, .xlsx), with
merged cells, categories merged down their rows, units written "≥95%" and "不低于95%", a 定性 row
and a 不适用 row in each, and in the 2019–22 self-evaluation one score that the rules do not give.
Each DocumentVariant says what a reader must make of it: `target` the target table's rows, and the
values the document holds.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from .model import Block, C, Variant

# --- 项目支出绩效自评表, 2019–22 (Anhui: 金安区) ------------------------------------------------------

EVAL_UNIT = "金安区交通运输局"
OUT, EFFECT, SATISFACTION = "产出指标\n（50分）", "效益指标\n（30分）", "满意度指标\n（10分）"
EVALUATION_2019 = Variant(
    code="evaluation_2019",
    description="2019–22 self-evaluation: 项目资金 block with 年度资金总额 and 其中 rows, 年度总体目标 预期/实际, "
                "一级 with its points, 总分 and 等级; one row's 得分 written wrong (19.5 where the rules give 19.67)",
    title=("项目支出绩效自评表", "（2022年度）"),
    unit_lines=(f"填报单位：{EVAL_UNIT}（盖章）",),
    money_note="单位：万元",
    head=(
        (C("项目名称"), C("农村公路养护工程", 8)),
        (C("主管部门"), C("金安区交通运输局", 3), C("实施单位"), C("金安区公路养护中心", 4)),
        (C("项目资金\n（万元）", 1, 5), C("", 2), C("年初预算数"), C("全年预算数\n（A）"), C("全年执行数\n（B）"), C("分值"),
         C("执行率\n（B/A）"), C("得分")),
        (C("年度资金总额", 2), C("100"), C("100"), C("95"), C("10"), C("95%"), C("9.5")),
        (C("其中：当年财政拨款", 2), C("80"), C("80"), C("78"), C("—"), C("97.5%"), C("—")),
        (C("上年结转资金", 2), C("0"), C("0"), C("0"), C("—"), C(""), C("—")),
        (C("其他资金", 2), C("20"), C("20"), C("17"), C("—"), C("85%"), C("—")),
        (C("年度总体\n目标", 1, 2), C("预期目标", 4), C("实际完成情况", 4)),
        (C("完成农村公路养护120公里，路况优良率稳步提高", 4), C("完成养护118公里，两段因汛期延至次年", 4)),
    ),
    block=Block(
        columns=("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"),
        headings=((C("一级指标"), C("二级指标"), C("三级指标"), C("年度\n指标值"), C("实际\n完成值"), C("分值"), C("得分"),
                   C("偏差原因分析\n及改进措施")),),
        leading="绩效\n指标",
        merge=(0, 1),
        rows=(
            (OUT, "数量指标", "养护农村公路里程", "≥120公里", "118公里", "20", "19.5", "两段路面因汛期延至次年"),
            (OUT, "质量指标", "养护路段验收合格率", "≥95%", "96%", "10", "10", ""),
            (OUT, "时效指标", "养护完成时间", "2022年11月底前", "11月20日完成", "10", "9", "个别路段验收推迟"),
            (OUT, "成本指标", "每公里养护成本", "不超过0.8万元", "0.78万元", "10", "10", ""),
            (EFFECT, "经济效益指标", "带动群众务工增收", "不适用", "不适用", "10", "不适用", ""),
            (EFFECT, "社会效益指标", "群众出行条件", "明显改善", "明显改善", "10", "10", ""),
            (EFFECT, "可持续影响指标", "养护长效机制", "持续运行", "已建立", "10", "10", ""),
            (SATISFACTION, "服务对象满意度指标", "沿线群众满意度", "不低于95%", "96%", "10", "10", ""),
        ),
    ),
    tail=(
        (C("总分", 6), C("100"), C("97.78"), C("等级：优")),
        (C("评价结论"), C("项目完成较好，资金使用规范", 8)),
        (C("存在问题"), C("汛期影响部分路段进度", 8)),
        (C("改进措施"), C("提前安排汛期前施工", 8)),
    ),
    header=(),
)

# --- 项目支出绩效自评表, 101-style (Sichuan 2023) ---------------------------------------------------

SICHUAN_UNIT = "苍溪县农业农村局"
EVALUATION_101 = Variant(
    code="evaluation_101",
    description="101-style self-evaluation: 预算执行情况（10分） with 总额 and its reason, 指标性质/指标值/度量单位 "
                "split, 合计 and 总分, 项目负责人 and 财务负责人 under the table",
    title=("项目支出绩效自评表", "（2023年度）"),
    unit_lines=(f"填报单位：{SICHUAN_UNIT}（盖章）",),
    money_note="单位：万元",
    head=(
        (C("项目名称"), C("高素质农民培育", 10)),
        (C("主管部门"), C("苍溪县农业农村局", 4), C("实施\n单位"), C("苍溪县农业技术推广中心", 5)),
        (C("预算执行\n情况\n（10分）", 1, 6), C("", 2), C("年初预算"), C("调整后\n预算数", 2), C("预算\n执行数"), C("预算\n执行率"),
         C("权重"), C("得分"), C("原因")),
        (C("总额", 2), C("50"), C("50", 2), C("42"), C("84%"), C("10"), C("8.4"), C("年底一笔培训费跨年支付")),
        (C("财政资金", 2), C("50"), C("50", 2), C("42"), C("84%"), C("—"), C("—"), C("")),
        (C("财政专户\n管理资金", 2), C(""), C("", 2), C(""), C(""), C("—"), C("—"), C("")),
        (C("单位资金", 2), C(""), C("", 2), C(""), C(""), C("—"), C("—"), C("")),
        (C("其他资金", 2), C(""), C("", 2), C(""), C(""), C("—"), C("—"), C("")),
        (C("年度总体\n目标", 1, 2), C("预期目标", 5), C("实际完成情况", 5)),
        (C("培育高素质农民500人次，提升生产经营能力", 5), C("培育480人次，两期合并", 5)),
    ),
    block=Block(
        columns=("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分", "未完成原因分析"),
        headings=((C("一级\n指标"), C("二级指标"), C("三级指标"), C("指标\n性质"), C("指标值"), C("度量\n单位"), C("完成值"), C("权重"),
                   C("得分"), C("未完成\n原因分析")),),
        leading="绩效\n指标\n（90分）",
        merge=(0, 1),
        rows=(
            ("成本指标", "经济成本指标", "每期培训成本", "≤", "2", "万元", "1.9万元", "15", "15", ""),
            ("产出指标", "数量指标", "培训人次", "≥", "500", "人次", "480人次", "15", "14.4", "两期合并"),
            ("产出指标", "质量指标", "培训合格率", "≥", "95", "%", "97%", "10", "10", ""),
            ("产出指标", "时效指标", "培训完成时间", "定性", "年底前完成", "", "11月完成", "10", "10", ""),
            ("效益指标", "社会效益指标", "农民生产技能", "定性", "明显提升", "", "明显提升", "20", "18", "个别学员未取证"),
            ("效益指标", "生态效益指标", "减少化肥使用", "定性", "不适用", "", "不适用", "10", "不适用", ""),
            ("满意度指标", "服务对象满意度指标", "参训农民满意度", "≥", "90", "%", "94%", "10", "10", ""),
        ),
    ),
    tail=(
        (C("合计", 8), C("90"), C("77.4"), C("")),
        (C("总分", 8), C("100"), C("95.33"), C("等级：优")),
        (C("评价结论"), C("培训任务基本完成", 10)),
        (C("存在问题"), C("部分学员取证率偏低", 10)),
        (C("改进措施"), C("加强考前辅导", 10)),
    ),
    header=(),
    footer_lines=("项目负责人：王五    财务负责人：赵六",),
)

# --- 项目支出绩效目标执行监控表, MOF 2019 (财预〔2019〕136号) ---------------------------------------------

MOF_UNIT = "金安区体育局"
MOF_2019 = Variant(
    code="monitoring_mof_2019",
    description="MOF 2019 monitoring: 计算符号/年度指标值/计量单位 per row, 1-6月, 完成目标可能性 as ticked boxes, "
                "偏差原因 with its note, money block of one row",
    title=("项目支出绩效目标执行监控表", "（2023年度）"),
    unit_lines=(f"填报单位（盖章）：{MOF_UNIT}",),
    money_note="金额单位：万元",
    head=(
        (C("项目名称"), C("村级体育健身工程", 12)),
        (C("主管部门"), C("金安区体育局", 5), C("实施单位", 2), C("金安区全民健身中心", 5)),
        (C("项目资金\n（万元）", 1, 2), C("年初预算数", 2), C("全年预算数", 2), C("1-6月执行数", 2), C("执行率", 2), C("全年预计执行数", 4)),
        (C("30", 2), C("30", 2), C("12", 2), C("40%", 2), C("30", 4)),
        (C("年度总体\n目标"), C("新建村级体育健身工程15个，群众健身参与率达到60%", 12)),
    ),
    block=Block(
        columns=("一级指标", "二级指标", "三级指标", "计算符号", "年度指标值", "计量单位", "1-6月执行情况", "全年预计完成情况",
                 "完成目标可能性", "偏差原因", "整改措施", "备注"),
        headings=((C("一级指标"), C("二级指标"), C("三级指标"), C("计算\n符号"), C("年度\n指标值"), C("计量\n单位"), C("1-6月\n执行情况"),
                   C("全年预计\n完成情况"), C("完成目标\n可能性"), C("偏差原因"), C("整改措施"), C("备注")),),
        leading="绩效\n指标",
        merge=(0, 1),
        rows=(
            ("产出指标", "数量指标", "新建村级体育健身工程", "≥", "15", "个", "6个", "15个", "确定能", "", "", ""),
            ("产出指标", "质量指标", "工程验收合格率", "≥", "95", "%", "100%", "100%", "√确定能 □有可能 □完全不可能", "", "", ""),
            ("产出指标", "时效指标", "工程完工时间", "", "2023年10月底前", "", "在建", "10月底前完工", "有可能",
             "经费保障：第二批资金未到位", "督促财政拨付资金", ""),
            ("效益指标", "经济效益指标", "带动体育消费", "", "不适用", "", "不适用", "不适用", "确定能", "", "", "本项目不涉及"),
            ("效益指标", "社会效益指标", "群众健身参与率", "≥", "60", "%", "45%", "58%", "有可能", "其他：部分器材未到货",
             "加快器材安装", ""),
            ("满意度指标", "服务对象满意度指标", "群众满意度", "≥", "90", "%", "—", "92%", "确定能", "", "", "年底调查"),
        ),
    ),
    tail=((C("财政部门\n审核意见"), C("", 12)),),
    header=(),
)

# --- 项目支出绩效运行监控表, Hubei 2019 (two levels) ----------------------------------------------------

HUBEI_UNIT = "潜江市文化和旅游局"
HUBEI_2019 = Variant(
    code="monitoring_hubei_2019",
    description="Hubei 2019 two-level monitoring: 一级指标 / 指标名称, the header's money line, 偏差原因分析 and "
                "相关建议或举措 under the rows, a title with its year in front",
    title=("2019年度项目支出绩效运行监控表",),
    unit_lines=(f"填报单位（盖章）：{HUBEI_UNIT}",),
    money_note="金额单位：万元",
    head=(
        (C("项目名称"), C("送戏下乡惠民演出", 5)),
        (C("主管部门"), C("潜江市文化和旅游局", 2), C("实施单位"), C("潜江市花鼓戏剧院", 2)),
        (C("年初预算数\n（万元）"), C("50"), C("1-6月\n执行数\n（万元）"), C("22"), C("全年预计\n执行数\n（万元）"), C("48")),
    ),
    block=Block(
        columns=("一级指标", "指标名称", "指标值", "半年度指标执行情况", "完成目标可能性", "备注"),
        headings=((C("一级指标"), C("指标名称"), C("指标值"), C("半年度指标\n执行情况"), C("完成目标\n可能性"), C("备注")),),
        category_columns=(0,),
        rows=(  # 一级 not merged but left blank under its first row, as many clerks type it
            ("产出指标", "送戏下乡场次", "≥40场", "18场", "确定能", ""),
            ("", "演出安全事故", "0次", "0次", "确定能", ""),
            ("效益指标", "群众文化获得感", "明显提升", "初见成效", "有可能", ""),
            ("", "带动文旅消费", "不适用", "不适用", "确定能", "不涉及"),
            ("满意度指标", "观众满意度", "不低于90%", "91%", "确定能", "抽样调查"),
        ),
    ),
    tail=(
        (C("偏差原因\n分析"), C("群众文化获得感：其他：演出集中在下半年", 5)),
        (C("相关建议\n或举措"), C("群众文化获得感：增加村级演出点", 5)),
        (C("财政部门\n审核意见"), C("", 5)),
    ),
    header=(),
    footer_lines=("填表人：刘七    联系电话：0728-6241234",),
)


# --- what a reader must make of them ---------------------------------------------------------------


@dataclass(frozen=True)
class DocumentVariant:
    """A document file's variant, with what it holds: the target it measures against (rows of
    一级, 二级, 三级 and value, in a form), and the values the document keeps."""

    variant: Variant
    kind: str  # "evaluation" or "monitoring"
    unit: str
    year: int
    project: str
    target_form: str  # the form a target made from the file is filed in
    target_rows: tuple[tuple[str, str, str, str], ...]  # (一级, 二级, 三级, 指标值) as the target holds them
    money: dict = field(default_factory=dict)  # the document's amounts (万元) by attribute
    rows: dict = field(default_factory=dict)  # 三级指标 → {attribute: value} of the document's row
    month: int | None = None

    @property
    def code(self) -> str:
        return self.variant.code


def _plain(level1: str) -> str:
    return level1.split("\n")[0]


DOCUMENTS = (
    DocumentVariant(
        EVALUATION_2019, "evaluation", EVAL_UNIT, 2022, "农村公路养护工程", "anhui-2025",
        target_rows=tuple((_plain(row[0]), row[1], row[2], row[3]) for row in EVALUATION_2019.block.rows),
        money={"opening_budget": "100", "budget": "100", "spent": "95"},
        rows={"养护农村公路里程": {"actual": "118公里", "weight": "20", "written_score": "19.5", "reason": "两段路面因汛期延至次年"},
              "养护完成时间": {"band": "达成年度指标", "chosen": "9", "written_score": "9"},
              "带动群众务工增收": {"applicable": False, "written_score": ""},
              "沿线群众满意度": {"actual": "96%", "written_score": "10"}},
    ),
    DocumentVariant(
        EVALUATION_101, "evaluation", SICHUAN_UNIT, 2023, "高素质农民培育", "sichuan-2023",
        target_rows=tuple((row[0], row[1], row[2], row[3] + row[4] + row[5] if row[3] != "定性" else row[4])
                          for row in EVALUATION_101.block.rows),
        money={"opening_budget": "50", "budget": "50", "spent": "42"},
        rows={"培训人次": {"actual": "480人次", "weight": "15", "written_score": "14.4", "reason": "两期合并"},
              "农民生产技能": {"band": "达成年度指标", "chosen": "18"},
              "减少化肥使用": {"applicable": False}},
    ),
    DocumentVariant(
        MOF_2019, "monitoring", MOF_UNIT, 2023, "村级体育健身工程", "anhui-2025",
        target_rows=(("产出指标", "数量指标", "新建村级体育健身工程", "≥15个"), ("产出指标", "质量指标", "工程验收合格率", "≥95%"),
                     ("产出指标", "时效指标", "工程完工时间", "2023年10月底前"), ("效益指标", "经济效益指标", "带动体育消费", "不适用"),
                     ("效益指标", "社会效益指标", "群众健身参与率", "≥60%"),
                     ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%")),
        money={"initial_budget": "30", "annual_budget": "30", "spent": "12", "expected_spending": "30"},
        rows={"新建村级体育健身工程": {"current": "6个", "expected": "15个", "possibility": "确定能"},
              "工程验收合格率": {"possibility": "确定能"},
              "工程完工时间": {"possibility": "有可能", "cause": "经费保障", "cause_note": "第二批资金未到位", "remedy": "督促财政拨付资金"},
              "群众健身参与率": {"cause": "其他", "cause_note": "部分器材未到货", "remedy": "加快器材安装"},
              "群众满意度": {"current": "—", "note": "年底调查"}},
        month=6,
    ),
    DocumentVariant(
        HUBEI_2019, "monitoring", HUBEI_UNIT, 2019, "送戏下乡惠民演出", "hubei-2019",
        # Hubei's form names no 二级指标: the target it measures against has them.
        target_rows=(("产出指标", "数量指标", "送戏下乡场次", "≥40场"), ("产出指标", "质量指标", "演出安全事故", "0次"),
                     ("效益指标", "社会效益指标", "群众文化获得感", "明显提升"), ("效益指标", "经济效益指标", "带动文旅消费", "不适用"),
                     ("满意度指标", "服务对象满意度指标", "观众满意度", "不低于90%")),
        money={"initial_budget": "50", "spent": "22", "expected_spending": "48"},
        rows={"送戏下乡场次": {"current": "18场", "possibility": "确定能"},
              "群众文化获得感": {"current": "初见成效", "possibility": "有可能", "cause": "其他", "cause_note": "演出集中在下半年",
                          "remedy": "增加村级演出点"},
              "观众满意度": {"note": "抽样调查"}},
        month=6,
    ),
)
BY_CODE = {document.code: document for document in DOCUMENTS}


def of_unit(document: DocumentVariant, unit: str) -> Variant:
    """The same file, filled in by another unit."""
    variant = document.variant
    return replace(variant, unit_lines=tuple(line.replace(document.unit, unit) for line in variant.unit_lines))
