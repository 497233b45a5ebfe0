"""load_demo, then the 2021 Q4 circular reproduces annex 1 of seed 000 exactly — read back
from the PDF's text layer, the XLSX and the DOCX, not only from the Document."""

import io
import re
import subprocess
from decimal import Decimal

import pytest
from docx import Document as DocxDocument
from openpyxl import load_workbook

from reports.assembly import build_document, new_circular
from reports.rendering import render
from reports.tests.test_annexes import seed_annex_1
from sites.models import Region


@pytest.fixture
def document(demo_inspections):
    return build_document(new_circular(Region.objects.get(name="文山州"), 2021, 4))


def expected_numbers() -> list[list[Decimal]]:
    """Each row of the published annex 1 as numbers: 18 site scores and 2 averages."""
    return [[Decimal(c) for c in row[1:]] for row in seed_annex_1()]


def as_numbers(cells) -> list[Decimal]:
    return [Decimal(str(c)) for c in cells if c not in (None, "")]


def test_the_pdf_text_layer_holds_annex_1(document):
    pdf = render("pdf", document)
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    annex = text.split("2021年四季度全州在运行政府网站检查得分情况")[-1].split("注：")[0]
    # A row label may wrap ("发布解读（31" / "分）"): the figures are the lines of 20 numbers.
    rows = [[Decimal(n) for n in re.findall(r"(?<![\d（])\d+(?:\.\d+)?(?![\d分])", line)]
            for line in annex.splitlines()]
    assert [row for row in rows if len(row) == 20] == expected_numbers()
    body = re.sub(r"\s+", "", text)
    assert "登记在运行政府网站10个" in body and "经检查均为合格，总体合格率为100%" in body
    assert "四季度全州政府网站检查平均得分84分，较三季度74.9分有较大提升" in body


def test_the_xlsx_holds_annex_1_as_numbers(document):
    sheet = load_workbook(io.BytesIO(render("xlsx", document)))["附件1"]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row[0]}
    for label, numbers in zip(("发布解读（31分）", "办事服务（25分）", "互动交流（23分）", "功能设计（21分）",
                               "得分"), expected_numbers(), strict=True):
        values = [v for v in rows[label] if v is not None]
        assert all(isinstance(v, (int, float)) for v in values)
        assert as_numbers(values) == numbers


def test_the_docx_holds_annex_1(document):
    docx = DocxDocument(io.BytesIO(render("docx", document)))
    table = docx.tables[-1]
    rows = {}
    for row in table.rows:
        texts = []
        for cell in row.cells:  # merged cells repeat; keep each physical cell once
            if not texts or cell._tc is not texts[-1][0]:
                texts.append((cell._tc, cell.text.replace("\n", "")))  # lines kept whole
        rows[texts[0][1]] = [t for _, t in texts[1:]]
    for label, numbers in zip(("发布解读（31分）", "办事服务（25分）", "互动交流（23分）", "功能设计（21分）",
                               "得分"), expected_numbers(), strict=True):
        assert as_numbers(rows[label]) == numbers
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "平均得分84分，较三季度74.9分" in text
