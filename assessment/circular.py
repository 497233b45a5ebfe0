"""The annual circular on the supervision assessment (seed 002's structure), as a
reports.document.Document: rendered on demand by reports.rendering.render in any format.

Every figure and name comes from the year's results (assessment.scoring); the draft carries
the office's names (reports.defaults) and a 发文字号 with the number left blank. A locked
year is dated on the day it was locked, so its circular no longer changes.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from inspections.formatting import number
from reports.defaults import office_defaults
from reports.document import Annex, Cell, Document, Paragraph, Section, Table
from reports.text import chinese_date
from sites.models import Region

from .scoring import OfficeResult, YearResults

NUMERALS = "一二三四五六七八九十"
BASIS = ("《国务院办公厅秘书局关于印发政府网站与政务新媒体检查指标、监管工作年度考核指标的通知》"
         "（国办秘函〔2019〕19号）")
MOST_NAMED = 5  # 得分靠前 names at most this many offices


def lower_label(region: Region) -> str:
    """How a circular names the regions below: 县（市）, 市（州）, 县（市、区）."""
    kinds = [k for k in ("县", "市", "区", "州") if any(
        child.name.endswith(k) for child in region.children.all())]
    if not kinds:
        return "地区"
    return kinds[0] + (f"（{'、'.join(kinds[1:])}）" if len(kinds) > 1 else "")


def circular_date(results: YearResults, today: datetime.date | None = None) -> datetime.date:
    year = results.assessment_year
    if year.is_locked:
        return timezone.localdate(year.locked_at)
    return today or timezone.localdate()


def annual_document(results: YearResults, today: datetime.date | None = None) -> Document:
    year = results.assessment_year
    region = year.region
    office = office_defaults(region)
    lower = lower_label(region)
    day = circular_date(results, today)
    sections = [("考核结果", result_paragraphs(results, lower)),
                ("扣分情况", deduction_paragraphs(results)),
                ("下一步工作要求", requirement_paragraphs(results, lower))]
    present = [(name, paragraphs) for name, paragraphs in sections if paragraphs]
    return Document(
        office=office.office_name,
        doc_number=f"{office.doc_prefix}〔{day.year}〕　号",
        title=f"{office.office_name}关于{year.year}年度{region.whole_label}政府网站与政务新媒体"
              "监管工作年度考核情况的通报",
        addressees=office.addressees,
        opening=f"根据{BASIS}要求，{region.short_word}政府办公室组织对各{lower}{year.year}年度政府网站"
                "与政务新媒体监管工作进行了考核。现将有关情况通报如下：",
        sections=tuple(Section(f"{NUMERALS[i]}、{name}", paragraphs)
                       for i, (name, paragraphs) in enumerate(present)),
        signer=office.office_name,
        date=chinese_date(day),
        note=office.contact,
        cc=office.cc,
        printer=office.printer,
        print_date=chinese_date(day),
        annexes=(Annex(1, f"{year.year}年度各{lower}政府办公室监管工作考核情况",
                       results_table(results), "assessment_results"),),
    )


# 一、考核结果 ------------------------------------------------------------------------------

def result_paragraphs(results: YearResults, lower: str) -> tuple[Paragraph, ...]:
    year = results.assessment_year
    offices = results.offices
    if not offices:
        return (Paragraph(f"{year.region.whole_label}暂无参加考核的{lower}。"),)
    failed = results.failed
    vetoed = [r for r in offices if r.vetoed]
    text = (f"{year.year}年度，{year.region.whole_label}{len(offices)}个{lower}政府办公室"
            f"参加监管工作年度考核，{len(results.passed)}个合格，{len(failed)}个不合格")
    if vetoed:
        text += f"（其中单项否决{len(vetoed)}个）"
    sentences = [text + "。", ranking_sentence(results)]
    for result in vetoed:
        causes = "、".join(f"“{line.item.name}”" for line in result.vetoes())
        sentences.append(f"{result.region}因{causes}被单项否决，考核结果为不合格。")
    low = [r for r in failed if not r.vetoed]
    if low:
        mark = number(results.scheme.tree.pass_mark, 2)
        sentences.append(f"{'、'.join(r.region.name for r in low)}得分低于{mark}分，考核结果为不合格。")
    sentences.append(f"各{lower}得分及扣分情况见附件。")
    return (Paragraph("".join(s for s in sentences if s)),)


def ranking_sentence(results: YearResults) -> str:
    """其中，A、B得分靠前，C、D得分相对较低。 — the top and bottom quarter (at most five, more
    when tied) of the offices not vetoed; left out when there are too few offices or the two
    lists would meet."""
    scored = [r for r in results.offices if not r.vetoed]
    named = min(MOST_NAMED, len(scored) // 4)
    if named < 1:
        return ""
    # An office tied with the last one named is named too.
    top = [r for r in scored if r.total >= scored[named - 1].total]
    bottom = [r for r in scored if r.total <= scored[-named].total]
    if {r.office.pk for r in top} & {r.office.pk for r in bottom}:
        return ""
    return (f"其中，{'、'.join(r.region.name for r in top)}得分靠前，"
            f"{'、'.join(r.region.name for r in bottom)}得分相对较低。")


# 二、扣分情况 ------------------------------------------------------------------------------

def deduction_paragraphs(results: YearResults) -> tuple[Paragraph, ...]:
    """One paragraph per veto item and per deduction group with any deduction, naming each
    office (in 区划代码 order) with what it lost and why."""
    tree = results.scheme.tree
    offices = sorted(results.offices, key=lambda r: (r.region.code or "~", r.region.name))
    found: list[tuple[str, list[str]]] = []
    vetoes = [f"{r.region}（{_clause(line.item.name, line.note)}）"
              for r in offices for line in r.vetoes()]
    if vetoes:
        found.append(("单项否决。", vetoes))
    for group in tree.groups("deduction"):
        leaves = {item.pk for item in results.scheme.leaves(group.id)}
        parts = []
        for result in offices:
            lines = [line for line in result.deductions() if line.item.pk in leaves]
            if lines:
                lost = sum(line.counted for line in lines)
                details = "；".join(_clause(f"{line.item.name}扣{number(line.counted, 2)}分", line.note)
                                   for line in lines)
                parts.append(f"{result.region}扣{number(lost, 2)}分（{details}）")
        if parts:
            found.append((f"{group.name}。", parts))
    return tuple(Paragraph("；".join(parts) + "。", f"（{NUMERALS[i]}）{lead}")
                 for i, (lead, parts) in enumerate(found[:len(NUMERALS)]))


def _clause(name: str, note: str) -> str:
    note = note.strip().rstrip("。")
    return f"{name}：{note}" if note else name


# 三、下一步工作要求 -------------------------------------------------------------------------

def requirement_paragraphs(results: YearResults, lower: str) -> tuple[Paragraph, ...]:
    year = results.assessment_year
    return (
        Paragraph(f"各{lower}要认真组织本地区本部门政府网站{year.year}年度报表编制发布工作，"
                  "组织填写《政府网站工作年度报表》《政府网站监管年度报表》，"
                  f"于{chinese_date(year.report_due_on)}前在本地区本部门网站首页显著位置发布，"
                  "并在本平台填报发布网址、上传PDF版文档。",
                  lead="（一）认真做好年度报表发布工作。"),
        Paragraph(f"各{lower}要对照考核扣分情况逐项整改，健全政府网站与政务新媒体监管工作机制，"
                  "落实常态化检查和通报制度，及时办理“我为政府网站找错”平台网民留言。",
                  lead="（二）抓好问题整改。"),
    )


# 附件 --------------------------------------------------------------------------------------

def results_table(results: YearResults) -> Table:
    header = ((Cell("序号"), Cell("地区"), Cell("得分"), Cell("结论"), Cell("扣分情况")),)
    body = tuple(_row(position, result) for position, result in enumerate(results.offices, start=1))
    if not body:
        body = ((Cell("暂无考核结果", colspan=5),),)
    tree = results.scheme.tree
    bonus_full = sum((g.max_points or 0 for g in tree.groups("bonus")), 0)
    note = (f"注：扣分指标满分{number(tree.full_deduction_points(), 2)}分，加分指标满分"
            f"{number(bonus_full, 2)}分，扣分指标得分超过{number(tree.bonus_threshold, 2)}分的计算加分；"
            f"出现单项否决情形或得分低于{number(tree.pass_mark, 2)}分的为不合格。")
    return Table(header, body, (1.0, 2.2, 1.4, 2.4, 9.0), note=note)


def _row(position: int, result: OfficeResult) -> tuple[Cell, ...]:
    score = number(result.total, 2)
    return (Cell(str(position), position), Cell(result.region.name), Cell(score, float(score)),
            Cell(result.conclusion), Cell(result.summary(), align="left"))
