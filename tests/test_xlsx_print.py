"""The exported workbook printed by a real spreadsheet program: LibreOffice Calc, headless."""
import re
import shutil
import subprocess

import pytest

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.importing import read_sheets
from goalsapp.formats.excel import write_workbook

PROJECTS = ["基层商会专项经费", "非公党建项目", "光彩事业项目", "教育培训项目", "商会建设项目"]


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=180).stdout


def test_libreoffice_prints_each_form_on_one_a4_page_width(tmp_path):
    if shutil.which("soffice") is None:
        pytest.fail("soffice is missing: install Debian's libreoffice-calc-nogui (`make test` does it as root)")
    workbook = tmp_path / "seed.xlsx"
    workbook.write_bytes(write_workbook(read_sheets(DEMO_FILE)))
    # A profile of its own, so a running LibreOffice or a stale lock cannot interfere.
    run("soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(workbook))
    pdf = tmp_path / "seed.pdf"

    count = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(pdf))).group(1))
    sizes = re.findall(r"Page\s+\d+ size:\s+(.*)", run("pdfinfo", "-f", "1", "-l", str(count), str(pdf)))
    assert len(sizes) == count and all(size.endswith("(A4)") for size in sizes), sizes
    widths_heights = [tuple(map(float, re.match(r"([\d.]+) x ([\d.]+)", size).groups())) for size in sizes[:5]]
    assert all(width < height for width, height in widths_heights)  # the forms are portrait

    pages = [re.sub(r"\s+", "", run("pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-")) for n in range(1, count + 1)]
    for page, project in zip(pages, PROJECTS):  # one page per form, every column on it
        assert page.startswith("2021年项目支出绩效目标表") and project in page
        assert all(head in page for head in ("一级指标", "二级指标", "三级指标", "指标值及单位", "绩效标准"))
    assert "指标清单" not in "".join(pages[:5]) and "会员征求意见满意率" in "".join(pages[5:])
