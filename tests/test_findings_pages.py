"""Findings on the pages: the editor's panel and marks, the list's counts, `flask check`."""
ROW = {"level1": "产出指标", "level2": "时效指标", "name": "按时完成", "value": "", "standard": "计划标准"}


def test_the_editor_shows_findings_beside_fields_and_rows(seeded, client):
    page = client.get("/sheets/1").get_data(as_text=True)
    assert '<span class="count blocking">强制 1</span>' in page and '<span class="count warning">提示 3</span>' in page
    field_marks = page.split('id="marks-field-period_end"')[1].split("</span>\n")[0]
    assert "实施期结束（2020.12）早于开始（2021.1）" in field_marks
    assert "成本指标的指标值“95%”是百分比" in page.split('id="indicator-4"')[1].split("</tr>")[0]


def test_the_findings_fragment_refreshes_every_mark_out_of_band(seeded, client):
    response = client.get("/sheets/1/findings")
    fragment = response.get_data(as_text=True).lstrip()
    assert fragment.startswith('<section id="findings"') and "<html" not in fragment
    # Every row, every header field, the workflow panel and the history.
    assert fragment.count('hx-swap-oob="true"') == 8 + 10 + 2
    assert '<section id="workflow" class="panel workflow" hx-swap-oob="true">' in fragment
    assert '<section id="history" class="panel history" hx-swap-oob="true">' in fragment
    assert 'id="marks-row-4" class="marks" hx-swap-oob="true"><span class="mark warning">' in fragment


def test_changing_a_row_tells_the_page_to_refresh_its_findings(seeded, client):
    added = client.post("/sheets/1/indicators", data=ROW)
    assert added.headers["HX-Trigger"] == "sheet-changed"
    assert "请填写指标值及单位" in client.get("/sheets/1/findings").get_data(as_text=True)
    assert client.put("/indicators/9", data={**ROW, "value": "100%"}).headers["HX-Trigger"] == "sheet-changed"
    assert client.delete("/indicators/9").headers["HX-Trigger"] == "sheet-changed"
    invalid = client.post("/sheets/1/indicators", data={**ROW, "name": ""})
    assert "HX-Trigger" not in invalid.headers  # nothing stored, nothing to refresh


def test_the_list_shows_each_sheets_counts(seeded, client):
    page = client.get("/").get_data(as_text=True)
    assert page.count('<span class="count blocking">强制 1</span>') == 5
    assert '<span class="count warning">提示 4</span>' in page  # 非公党建项目


def test_check_prints_findings_and_fails_on_blocking(seeded):
    result = seeded.test_cli_runner().invoke(args=["check", "--unit", "会同县工商联", "--year", "2021"])
    assert result.exit_code == 1
    assert "2021年 会同县工商联 光彩事业项目：强制 1，提示 2" in result.output
    assert "  强制  实施期结束（2020.12）早于开始（2021.1），请改正" in result.output
    assert "提示  ［时效指标“2021年12月完成率”］“2021年12月完成率”在时效指标下重复出现" in result.output
    assert "共检查 5 张表，强制问题 5 个" in result.output


def test_check_passes_when_nothing_blocks(seeded, client):
    from tests.test_sheets import VALID

    client.post("/sheets/new", data={**VALID, "unit": "整洁单位"})
    for level1, level2 in (("产出指标", "数量指标"), ("效益指标", "社会效益指标")):
        client.post("/sheets/6/indicators", data={"level1": level1, "level2": level2, "name": "指标", "value": "3个", "standard": "计划标准"})
    result = seeded.test_cli_runner().invoke(args=["check", "--unit", "整洁单位"])
    assert result.exit_code == 0, result.output
    assert "强制 0" in result.output
