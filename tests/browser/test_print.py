"""Print the seed's five sheets from the real browser and read the PDF back."""
import re
import subprocess

from playwright.sync_api import expect

from goalsapp.commands import DEMO_FILE
from goalsapp.importing import import_files
from goalsapp.models import Role

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

    from goalsapp.extensions import db
    from goalsapp.models import GoalSheet, Indicator

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
    for n in range(40):
        (holder,) = [text for text in pages if f"甲{n:02d}起" in text]
        assert f"乙{n:02d}止" in holder and f"值{n:02d}" in holder
