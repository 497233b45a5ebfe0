"""The HTML renderer: the standalone page, the embeddable markup, escaping, and the layout
decisions it makes before the template (annex numbering, column widths, title lines)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from reports.document import Document, Paragraph, Section
from reports.renderers.html import render_html
from reports.renderers.layout import balanced_lines
from reports.testing import sample_document


@pytest.fixture(scope="module")
def document():
    return sample_document(30)


@pytest.fixture(scope="module")
def page(document):
    return render_html(document)


@pytest.fixture(scope="module")
def markup(document):
    return render_html(document, standalone=False)


def text_of(html: str) -> str:
    """The visible text: tags and whitespace removed, the few entities Django writes decoded."""
    text = re.sub(r"<style.*?</style>|<title>.*?</title>|<[^>]+>|\s+", "", html, flags=re.S)
    return text.replace("&quot;", '"').replace("&#x27;", "'").replace("&lt;", "<").replace(
        "&gt;", ">").replace("&amp;", "&")


def test_the_standalone_page_is_a_whole_document_with_its_css_inline(page):
    assert page.startswith("<!doctype html>")
    assert '<html lang="zh-Hans">' in page
    assert '<meta charset="utf-8">' in page
    assert "<link" not in page  # works when downloaded and opened alone
    screen, printed = re.findall(r'<style media="(screen|print)">', page)
    assert (screen, printed) == ("screen", "print")
    assert "@page" in page and "size: A4" in page and "annex-wide" in page


def test_the_embeddable_markup_is_the_document_alone(markup):
    assert markup.lstrip().startswith('<article class="gw-doc"')
    assert "<html" not in markup and "<style" not in markup and "<head>" not in markup
    assert markup.rstrip().endswith("</article>")


def test_every_text_of_the_document_is_in_the_page(document, markup):
    text = text_of(markup)
    pieces = [document.office, document.doc_number, document.title, document.addressees + "：",
              document.opening, document.signer, document.date, f"（{document.note}）",
              f"抄送：{document.cc}。", f"{document.print_date}印发", document.printer]
    for section in document.sections:
        pieces += [section.heading, *(p.lead + p.text for p in section.paragraphs)]
    for annex in document.annexes:
        pieces += [f"附件{annex.number}", annex.title, annex.table.note]
        pieces += [cell.text for row in (*annex.table.header, *annex.table.body) for cell in row]
    for piece in pieces:
        assert re.sub(r"\s+", "", piece) in text, piece


def test_user_text_is_escaped_everywhere():
    attack = "<script>alert(1)</script>"
    document = replace(sample_document(2), title=attack, office=attack, cc=attack,
                       sections=(Section(attack, (Paragraph(attack, lead=attack),)),))
    for html in (render_html(document), render_html(document, standalone=False)):
        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_lead_is_set_apart_and_runs_into_its_paragraph(markup):
    assert ('<p class="gw-p"><span class="gw-lead">（一）切实加强信息发布和运维管理工作。</span>'
            "严格落实“三审”制度") in markup


def test_several_annexes_are_numbered_in_the_attachment_note(markup):
    rows = re.findall(r"<tr><td class=\"gw-attach-label\">(.*?)</td>"
                      r"<td class=\"gw-attach-no\">(.*?)</td><td class=\"gw-attach-title\">(.*?)</td></tr>", markup)
    assert rows == [("附件：", "1．", "2021年四季度全州在运行政府网站检查得分情况"),
                    ("", "2．", "2021年四季度不合格政务新媒体")]
    assert '<p class="gw-annex-no">附件1</p>' in markup
    assert '<p class="gw-annex-no">附件2</p>' in markup


def test_a_single_annex_has_no_number(document):
    single = replace(document, annexes=document.annexes[1:])
    markup = render_html(single, standalone=False)
    assert ('<tr><td class="gw-attach-label">附件：</td><td class="gw-attach-title">2021年四季度不合格政务新媒体</td></tr>'
            in markup)
    assert '<p class="gw-annex-no">附件</p>' in markup
    assert "gw-attach-no" not in markup


def test_the_wide_annex_is_marked_for_the_landscape_page_and_keeps_its_merged_cells(markup):
    wide, portrait = re.findall(r'<section class="([^"]+)">', markup)
    assert (wide, portrait) == ("gw-annex gw-wide", "gw-annex")
    header = markup[markup.index("<thead>"):markup.index("</thead>")]
    assert header.count('colspan="2"') == 9
    assert header.count('rowspan="2"') == 3
    assert '<td class="gw-l gw-b">得分</td>' in markup


def test_column_widths_are_percentages_of_the_table(markup):
    first = markup[markup.index("<colgroup>"):markup.index("</colgroup>")]
    widths = [float(w) for w in re.findall(r'width: ([\d.]+)%', first)]
    assert len(widths) == 21
    assert sum(widths) == pytest.approx(100, abs=0.01)


def test_a_document_read_back_from_json_renders_the_same(document, markup):
    again = Document.from_dict(document.to_dict())
    assert render_html(again, standalone=False) == markup


def test_nothing_optional_leaves_empty_elements():
    bare = replace(sample_document(2), note="", cc="", printer="", print_date="", annexes=())
    markup = render_html(bare, standalone=False)
    for absent in ("gw-note", "gw-colophon", "gw-attach", "gw-annex"):
        assert absent not in markup


@pytest.mark.parametrize("title", [
    "文山州人民政府办公室关于2021年第四季度全州政府网站和政府系统政务新媒体检查情况的通报",
    "玉溪市政务公开领导小组办公室关于2021年第二季度全市政府网站和政务新媒体检查情况的通报",
    "关于印发《政府网站与政务新媒体检查指标》《政府网站与政务新媒体监管工作年度考核指标》的通知",
])
def test_a_long_title_is_broken_into_lines_of_about_equal_length(title):
    lines = balanced_lines(title, 20)
    assert "".join(lines) == title
    widths = [sum(0.5 if c.isascii() else 1 for c in line) for line in lines]
    assert len(lines) >= 2 and max(widths) <= 20
    assert max(widths) - min(widths) <= 8
    assert not any(line[0] in "，。、》）”" for line in lines)
    assert not any(line[-1] in "《（“" for line in lines)


def test_a_short_title_stays_on_one_line():
    assert balanced_lines("关于印发某某办法的通知", 20) == ["关于印发某某办法的通知"]


def test_the_first_title_breaks_after_whole_words():
    assert balanced_lines(sample_document().title, 20) == [
        "文山州人民政府办公室关于2021年", "第四季度全州政府网站和", "政府系统政务新媒体检查情况的通报"]
