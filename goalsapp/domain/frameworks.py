"""Indicator frameworks (指标体系) as data: level-1 categories and their level-2 categories.

A finance bureau decides which framework its units use; the editor, the importer and
the print layout all take their categories from here, so a new province's template is
a new Framework value, not new code.
"""
from dataclasses import dataclass

# 绩效标准: the basis an indicator's value is set against.
STANDARDS = ("计划标准", "行业标准", "历史标准", "其他标准")


@dataclass(frozen=True)
class Framework:
    code: str
    name: str
    # (level1, (level2, ...)) in the order the paper form prints them.
    categories: tuple[tuple[str, tuple[str, ...]], ...]

    def level1_names(self) -> tuple[str, ...]:
        return tuple(level1 for level1, _ in self.categories)

    def level2_names(self, level1: str) -> tuple[str, ...]:
        return dict(self.categories).get(level1, ())

    def has_category(self, level1: str, level2: str) -> bool:
        return level2 in self.level2_names(level1)

    def pairs(self) -> list[tuple[str, str]]:
        """Every (level1, level2) category in print order."""
        return [(level1, level2) for level1, level2s in self.categories for level2 in level2s]


HUNAN_2021 = Framework(
    code="hunan-2021",
    name="湖南省项目支出绩效目标表（2021）",
    categories=(
        ("产出指标", ("数量指标", "质量指标", "时效指标", "成本指标")),
        (
            "效益指标",
            (
                "经济效益指标",
                "社会效益指标",
                "生态效益指标",
                "可持续影响指标",
                "社会公众或服务对象满意度指标",
            ),
        ),
    ),
)

# 财预〔2015〕88号: 满意度 a level-1 category of its own (Anhui, Hubei and most provinces).
MOF_2015 = Framework(
    code="mof-2015",
    name="财政部项目支出绩效目标表（2015）",
    categories=(
        ("产出指标", ("数量指标", "质量指标", "时效指标", "成本指标")),
        ("效益指标", ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")),
        ("满意度指标", ("服务对象满意度指标",)),
    ),
)

# 财预〔2021〕101号: cost becomes a level-1 category of its own, first.
MOF_2021 = Framework(
    code="mof-2021",
    name="财政部项目支出绩效目标表（2021）",
    categories=(
        ("成本指标", ("经济成本指标", "社会成本指标", "生态环境成本指标")),
        ("产出指标", ("数量指标", "质量指标", "时效指标")),
        ("效益指标", ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")),
        ("满意度指标", ("服务对象满意度指标",)),
    ),
)

# Guangdong 2019: output and effect, with its own level-2 names.
GUANGDONG_2019 = Framework(
    code="guangdong-2019",
    name="广东省项目支出绩效目标（2019）",
    categories=(
        ("预期产出指标", ("数量指标(或建筑规模指标)", "质量指标", "时效指标", "预算(或投资规模)控制指标")),
        ("效果指标", ("社会、经济、生态效益指标", "可持续影响指标", "服务对象满意度指标")),
    ),
)

FRAMEWORKS = {framework.code: framework for framework in (HUNAN_2021, MOF_2015, MOF_2021, GUANGDONG_2019)}
DEFAULT_FRAMEWORK = HUNAN_2021


def get_framework(code: str) -> Framework:
    return FRAMEWORKS[code]
