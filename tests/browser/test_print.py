"""Print the seed's five sheets from the real browser and read the PDF back."""
import re
import subprocess

from playwright.sync_api import expect

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.importing import import_files
from goalsapp.domain.models import Role, Status

PROJECTS = ["基层商会专项经费", "非公党建项目", "光彩事业项目", "教育培训项目", "商会建设项目"]
TITLE = "2021年项目支出绩效目标表"


def seed_sheets_text() -> list[list[str]]:
    """Every piece of text in the seed, per sheet, read straight from the file."""
    sheets: list[list[str]] = []
    for line in DEMO_FILE.read_text().split("\n"):
        line = line.replace("[bookmark: _GoBack]", "").replace("\u3000", " ")
        if line.strip() == TITLE:
            sheets.append([])
        sheets[-1].extend(piece for piece in re.split(r"\t| {2,}", line.strip()) if piece)
    return sheets


def pdf_pages(path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return [
        subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"], check=True, capture_output=True, text=True).stdout
        for n in range(1, count + 1)
    ]


def page_sizes(path, count: int) -> list[str]:
    """Each page's size as pdfinfo names it, e.g. '594.96 x 841.92 pts (A4)'."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", str(count), str(path)], check=True, capture_output=True, text=True).stdout
    return re.findall(r"Page\s+\d+ size:\s+(.*)", info)


def is_subsequence(piece: str, text: str) -> bool:
    """True when piece's characters appear in text in order.

    A cell that wraps is read back line by line, interleaved with its neighbours'
    lines, so a long text is checked as a subsequence of its sheet's pages.
    """
    characters = iter(text)
    return all(character in characters for character in piece)


def fonts_used(page, selector: str) -> set[str]:
    """The fonts Chromium actually drew an element's text with (text extraction cannot tell)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return {font["familyName"] for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}


def test_print_all_five_seed_sheets_to_pdf(page, browser_login, csrf_app, tmp_path):
    live_server = browser_login(Role.REVIEWER)
    with csrf_app.app_context():
        import_files([DEMO_FILE])
    page.goto(live_server)
    page.get_by_role("link", name="全部打印").click()
    expect(page.locator("article.sheet")).to_have_count(5)

    # Song-style, as on the government form: Debian's Noto Serif CJK, not a sans fallback
    assert "Noto Serif CJK SC" in fonts_used(page, "article.sheet h1")
    assert "Noto Serif CJK SC" in fonts_used(page, "table.indicators td.text")

    pdf = tmp_path / "sheets.pdf"
    page.pdf(path=pdf, format="A4", print_background=True, prefer_css_page_size=True)
    pages = [re.sub(r"\s+", "", text) for text in pdf_pages(pdf)]
    sizes = page_sizes(pdf, len(pages))
    assert len(sizes) == len(pages) and all(size.endswith("(A4)") for size in sizes), sizes

    starts = [n for n, text in enumerate(pages) if text.startswith(TITLE)]
    # each sheet starts a new page, in order, and no page holds two sheets
    assert len(starts) == 5
    assert all(pages[n].count(TITLE) == 1 for n in range(len(pages)))
    bounds = starts + [len(pages)]
    for number, (pieces, project) in enumerate(zip(seed_sheets_text(), PROJECTS)):
        text = "".join(pages[bounds[number] : bounds[number + 1]])
        assert project in text
        for piece in pieces:
            piece = re.sub(r"\s+", "", piece)
            assert is_subsequence(piece, text), f"{project}: {piece!r} is not on its pages"
            if len(piece) <= 3:  # short values never wrap: they must stand whole
                assert piece in text, f"{project}: {piece!r}"
    # the screen toolbar stays off paper
    assert not any("返回" in text for text in pages)


def test_a_long_sheet_repeats_the_column_heads_and_never_splits_a_row(page, browser_login, csrf_app, tmp_path):
    live_server = browser_login()
    from decimal import Decimal

    from goalsapp.domain.models import GoalSheet, Indicator
    from goalsapp.extensions import db

    with csrf_app.app_context():
        sheet = GoalSheet(unit="某单位", year=2022, project_name="长表", local_budget=Decimal(1))
        # Names that wrap over several lines, so a careless page break would cut one.
        sheet.indicators = [
            Indicator(level1="产出指标", level2="数量指标", name=f"甲{n:02d}起" + "这是一段很长的指标说明文字" * 4 + f"乙{n:02d}止",
                      value=f"值{n:02d}", standard="计划标准", position=n)
            for n in range(40)
        ]
        db.session.add(sheet)
        db.session.commit()
    page.goto(f"{live_server}/sheets/1/print")
    pdf = tmp_path / "long.pdf"
    page.pdf(path=pdf, format="A4", print_background=True, prefer_css_page_size=True)

    pages = [re.sub(r"\s+", "", text) for text in pdf_pages(pdf)]
    assert len(pages) >= 3
    assert all("二级指标" in text and "三级指标" in text and "绩效标准" in text for text in pages[1:])
    # a draft: every page says so, a loose second page too
    assert all(NOT_APPROVED_LINE in text for text in pages)
    for n in range(40):
        (holder,) = [text for text in pages if f"甲{n:02d}起" in text]
        assert f"乙{n:02d}止" in holder and f"值{n:02d}" in holder


# --- What the clerk sees on paper ------------------------------------------------------

# Every label of the form, on the lines the paper gives it: the seed's own breaks
# ("年度本级/预算金额", "本年度/绩效指标", "产出/指标", "效益/指标"), the rest whole, and the
# two labels no cell holds on one line broken between their words.
PAPER_LABEL_LINES = {
    "项目支出名称": ["项目支出名称"], "预算部门": ["预算部门"], "年度本级预算金额": ["年度本级", "预算金额"],
    "该项目支出上级资金": ["该项目支出", "上级资金"], "项目支出实施期": ["项目支出实施期"],
    "实施期绩效目标": ["实施期绩效目标"], "本年度绩效目标": ["本年度绩效目标"], "本年度绩效指标": ["本年度", "绩效指标"],
    "一级指标": ["一级指标"], "二级指标": ["二级指标"], "三级指标": ["三级指标"], "指标值及单位": ["指标值及单位"],
    "绩效标准": ["绩效标准"], "产出指标": ["产出", "指标"], "效益指标": ["效益", "指标"],
    "数量指标": ["数量指标"], "质量指标": ["质量指标"], "时效指标": ["时效指标"], "成本指标": ["成本指标"],
    "经济效益指标": ["经济效益指标"], "社会效益指标": ["社会效益指标"], "生态效益指标": ["生态效益指标"],
    "可持续影响指标": ["可持续影响指标"], "社会公众或服务对象满意度指标": ["社会公众或", "服务对象", "满意度指标"],
    "财政部门审核意见": ["财政部门", "审核意见"],
}
NOT_APPROVED_LINE = "未经财政部门审核通过"


def pdf_words(path, page: int = 1) -> list[str]:
    """The page's words as pdftotext finds them: each line of a cell is a word of its own."""
    xml = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
                         check=True, capture_output=True, text=True).stdout
    return re.findall(r"<word [^>]*>([^<]*)</word>", xml)


def gray_pixels(path, page: int, dpi: int) -> tuple[int, int, bytes]:
    """One page as (width, height, 8-bit grey pixels), rendered by poppler."""
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(path), str(path.with_suffix(""))], check=True)
    data = path.with_suffix(".pgm").read_bytes()
    magic, width, height, _maximum, pixels = data.split(maxsplit=4)
    assert magic == b"P5"
    return int(width), int(height), pixels


def horizontal_rules(width: int, height: int, pixels: bytes) -> list[int]:
    """The thickness in pixels of every horizontal line drawn across the page.

    A rule is a stack of pixel rows each holding a dark stretch longer than a quarter of
    the page: table borders are; no text or the light watermark comes close.
    """
    def ruled(y: int) -> bool:
        longest = run = 0
        for value in pixels[y * width : (y + 1) * width]:
            run = run + 1 if value < 128 else 0
            longest = max(longest, run)
        return longest > width // 4

    thicknesses, thickness = [], 0
    for y in range(height):
        if ruled(y):
            thickness += 1
        elif thickness:
            thicknesses.append(thickness)
            thickness = 0
    return thicknesses


def print_seed(page, live_server, csrf_app, tmp_path, statuses: dict[int, str] | None = None):
    """The seed's five sheets, given statuses, printed by 全部打印 to one PDF; returns its path."""
    from goalsapp.domain.models import GoalSheet
    from goalsapp.extensions import db

    with csrf_app.app_context():
        import_files([DEMO_FILE])
        for sheet_id, status in (statuses or {}).items():
            db.session.get(GoalSheet, sheet_id).status = status
        db.session.commit()
    page.goto(f"{live_server}/print?unit=会同县工商联&year=2021")
    pdf = tmp_path / "seed.pdf"
    page.pdf(path=pdf, format="A4", print_background=True, prefer_css_page_size=True)
    return pdf


def test_labels_break_only_where_the_paper_breaks_them(page, browser_login, csrf_app, tmp_path):
    pdf = print_seed(page, browser_login(Role.REVIEWER), csrf_app, tmp_path)
    words = pdf_words(pdf)
    for label, lines in PAPER_LABEL_LINES.items():
        assert all(line in words for line in lines), f"{label} is not printed as {lines}"
    # no piece of a label other than its own lines: not "产出指/标", "项目支出名/称", "一级指/标"
    allowed = {line for lines in PAPER_LABEL_LINES.values() for line in lines}
    pieces = [word for word in words if word not in allowed and any(word in label for label in PAPER_LABEL_LINES)]
    assert pieces == []


def test_the_form_ends_with_the_last_row_filled_and_one_line_between_blocks(page, browser_login, csrf_app, tmp_path):
    pdf = print_seed(page, browser_login(Role.REVIEWER), csrf_app, tmp_path, {1: Status.APPROVED})
    # 满意度 is the last category: the table ends on its row, with no blank row after it
    last_row = page.locator("article.sheet").first.locator("table.indicators tbody").first.locator("tr").last
    expect(last_row).to_contain_text("会员满意度达90%以上")

    # The form is drawn as one table: every rule on the page is one line thick, none
    # doubled where the header block, the indicator block and the comment row meet.
    thicknesses = horizontal_rules(*gray_pixels(pdf, 1, dpi=300))
    assert len(thicknesses) > 20
    assert max(thicknesses) <= 1.5 * min(thicknesses), thicknesses


def test_a_sheet_not_yet_approved_says_so_on_paper_and_an_approved_one_prints_clean(page, browser_login, csrf_app, tmp_path):
    statuses = {1: Status.DRAFT, 2: Status.APPROVED, 3: Status.RETURNED, 4: Status.SUBMITTED, 5: Status.APPROVED}
    pdf = print_seed(page, browser_login(Role.REVIEWER), csrf_app, tmp_path, statuses)
    pages = [re.sub(r"\s+", "", text) for text in pdf_pages(pdf)]
    assert len(pages) == 5
    draft, approved, returned, submitted, approved_too = pages
    for text in (draft, returned):  # the watermark 草稿 (drawn slanted, so read as characters)
        assert NOT_APPROVED_LINE in text and {"草", "稿"} <= set(text)
    assert NOT_APPROVED_LINE in submitted and {"送", "审", "稿"} <= set(submitted)
    for text in (approved, approved_too):
        assert NOT_APPROVED_LINE not in text and not {"草", "稿", "送"} & set(text)
