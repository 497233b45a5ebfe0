"""The generated wording of a circular: every figure comes from the statistics; where a
figure has no data, the sentence says so instead of guessing."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from decimal import Decimal

from inspections.choices import QUARTER_WORDS, CheckMode, Target
from inspections.formatting import number, percent
from inspections.statistics import InspectionStatistics, Population

from .document import Paragraph

REGISTER = {
    Target.WEBSITES: "在“全国政府网站信息报送系统”中登记在运行政府网站",
    Target.NEWMEDIA: "在“全国政务新媒体信息报送系统”中备案登记在运行政府系统政务新媒体",
}
NOUN = {Target.WEBSITES: "政府网站", Target.NEWMEDIA: "政府系统政务新媒体"}
STOPPED = {Target.WEBSITES: "关停政府网站", Target.NEWMEDIA: "注销关停政府系统政务新媒体账号"}
LEAD_RE = re.compile(r"^(（[一二三四五六七八九十]+）[^。]{1,60}。)(.*)$")
# A change of the average of at least this many points is called 较大.
MARKED_CHANGE = Decimal(5)


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def quarter_name(year: int, quarter: int) -> str:
    """2021年第四季度."""
    return f"{year}年第{QUARTER_WORDS[quarter]}"


def paragraphs_from_text(text: str) -> tuple[Paragraph, ...]:
    """An edited section: one paragraph per line; a leading “（一）…。” becomes the lead."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        match = LEAD_RE.match(line)
        out.append(Paragraph(match.group(2), match.group(1)) if match else Paragraph(line))
    return tuple(out)


def paragraphs_to_text(paragraphs: tuple[Paragraph, ...]) -> str:
    return "\n".join(p.lead + p.text for p in paragraphs)


# 一、检查情况 ------------------------------------------------------------------------------

def target_paragraph(index: str, target: str, year: int, quarter: int, whole: str,
                     population: Population, stats: InspectionStatistics | None) -> Paragraph:
    """（一）2021年第四季度政府网站检查情况。截至…登记在运行政府网站10个，经检查均为合格…"""
    lead = f"（{index}）{quarter_name(year, quarter)}{NOUN[target]}检查情况。"
    sentences = [_population_sentence(target, quarter, whole, population)]
    if stats is None or not stats.this_quarter.checked:
        sentences[0] += "。"
        sentences.append(f"本季度暂无{NOUN[target]}检查结果。")
        return Paragraph("".join(sentences), lead)
    sentences[0] += "，" + _result_clause(stats) + "。"
    sentences += [
        _causes_sentence(stats), _failed_sentence(stats), _average_sentence(stats, whole),
        _ranking_sentence(stats), _twice_sentence(stats), _unscored_sentence(stats),
    ]
    return Paragraph("".join(s for s in sentences if s), lead)


def _population_sentence(target: str, quarter: int, whole: str, population: Population) -> str:
    text = f"截至{chinese_date(population.day)}，{whole}{REGISTER[target]}{population.total}个"
    asides = []
    if len(population.breakdown) > 1:
        asides.append("其中" + "、".join(f"{b.label}{b.count}个" for b in population.breakdown))
    if population.stopped_in_quarter:
        asides.append(f"{QUARTER_WORDS[quarter]}{STOPPED[target]}{population.stopped_in_quarter}个")
    return text + (f"（{'；'.join(asides)}）" if asides else "")


def _result_clause(stats: InspectionStatistics) -> str:
    figures = stats.this_quarter
    checked = f"抽查{figures.checked}个，抽查比例为{percent(stats.sampling_rate, 1)}，" \
        if stats.mode == CheckMode.SAMPLE else ""
    if figures.failed == 0:
        return f"{checked}经检查均为合格，总体合格率为100%"
    return (f"{checked}经检查，合格{figures.passed}个，不合格{figures.failed}个，"
            f"总体合格率为{percent(figures.pass_rate, 1)}")


def _causes_sentence(stats: InspectionStatistics) -> str:
    if not stats.failure_causes:
        return ""
    parts = [f"{c.label}{c.count}个（占检查数的{percent(c.share, 1)}）" for c in stats.failure_causes]
    return "不合格原因：" + "，".join(parts) + "。"


def _failed_sentence(stats: InspectionStatistics) -> str:
    if not stats.failed_targets:
        return ""
    names = "、".join(_target_label(t.area_label, t.target_name, stats.target)
                     for t in stats.failed_targets)
    return f"不合格{_short_noun(stats.target)}：{names}。"


def _average_sentence(stats: InspectionStatistics, whole: str) -> str:
    figures = stats.this_quarter
    if figures.average_total is None:
        return ""
    text = (f"{figures.quarter_word}{whole}{_short_noun(stats.target)}检查平均得分"
            f"{number(figures.average_total, 1)}分")
    previous = stats.previous
    if previous is None or previous.average_total is None:
        return text + "（上季度无检查得分，无法比较）。"
    change = figures.average_total - previous.average_total
    trend = ("有较大提升" if change >= MARKED_CHANGE else "有所提升" if change > 0
             else "持平" if change == 0 else "下降较多" if change <= -MARKED_CHANGE else "有所下降")
    return text + f"，较{previous.quarter_word}{number(previous.average_total, 1)}分{trend}。"


def _ranking_sentence(stats: InspectionStatistics) -> str:
    top, bottom = stats.top_targets, stats.bottom_targets
    if len(stats.top_targets) < 2 or {t.assessment_id for t in top} & {t.assessment_id for t in bottom}:
        return ""  # too few scored targets to name a top and a bottom
    noun = "网站" if stats.target == Target.WEBSITES else "等账号"
    return (f"其中，{'、'.join(t.target_name for t in top)}{noun}得分靠前，"
            f"{'、'.join(t.target_name for t in bottom)}{noun}得分相对较低。")


def _twice_sentence(stats: InspectionStatistics) -> str:
    if not stats.failing_twice:
        return ""
    names = "、".join(_target_label(t.area_label, t.target_name, stats.target)
                     for t in stats.failing_twice)
    return f"{names}连续两个季度检查不合格。"


def _unscored_sentence(stats: InspectionStatistics) -> str:
    unscored = stats.this_quarter.unscored
    return f"另有{unscored}个检查对象尚未完成评分，未计入以上数据。" if unscored else ""


def _short_noun(target: str) -> str:
    return "政府网站" if target == Target.WEBSITES else "政务新媒体"


def _target_label(area: str, name: str, target: str) -> str:
    """“丘北县人民政府”网站 / 华宁县“宁州街道”."""
    if target == Target.WEBSITES:
        return f"“{name}”网站"
    return f"{area}“{name}”"


# 三、存在问题 ------------------------------------------------------------------------------

def problem_paragraphs(website: InspectionStatistics | None,
                       newmedia: InspectionStatistics | None,
                       extra: Sequence[tuple[str, str]] = ()) -> tuple[Paragraph, ...]:
    """Generated from the failures, the weakest first-level group and `extra` problems
    (lead, text) such as the campaigns' open items; the office edits it."""
    items: list[tuple[str, str]] = []
    for stats in (website, newmedia):
        if stats is None:
            continue
        noun = _short_noun(stats.target)
        for cause in stats.failure_causes:
            names = [_target_label(t.area_label, t.target_name, stats.target)
                     for t in stats.failed_targets if cause.label in t.causes]
            items.append((f"部分{noun}存在“{cause.label}”问题。",
                          f"本季度检查中，{'、'.join(names)}因“{cause.label}”被判定为不合格。"))
    weakest = _weakest_group(website)
    if weakest:
        items.append(weakest)
    items += extra
    if not items:
        return (Paragraph("本季度检查未发现不合格的政府网站和政务新媒体。"),)
    numerals = "一二三四五六七八九十"
    return tuple(Paragraph(text, f"（{numerals[i]}）{lead}") for i, (lead, text)
                 in enumerate(items[:10]))


def _weakest_group(stats: InspectionStatistics | None) -> tuple[str, str] | None:
    if stats is None:
        return None
    rated = [(g.this_quarter / g.max_points, g) for g in stats.group_comparison
             if g.this_quarter is not None and g.max_points]
    if not rated:
        return None
    rate, group = min(rated, key=lambda pair: pair[0])
    return (f"“{group.name}”指标得分偏低。",
            f"从一级指标看，{group.name}平均得分{number(group.this_quarter, 1)}分"
            f"（满分{number(group.max_points, 2)}分），得分率{percent(rate, 1)}，在各项指标中最低。")


# 复查 and 专项排查整治 ---------------------------------------------------------------------------

def rectification_sentence(found: int, done: int, annex_number: int | None) -> str:
    """上季度发现问题5个，已整改3个，尚有2个未整改（见附件2）。"""
    if not found:
        return ""
    if done == found:
        return f"上季度发现问题{found}个，已全部整改。"
    see = f"（见附件{annex_number}）" if annex_number else ""
    return f"上季度发现问题{found}个，已整改{done}个，尚有{found - done}个未整改{see}。"


def unit_area(unit, top) -> str:
    """The county, or for a directly-administered unit the unit itself (市投资促进局)."""
    return unit.name if unit.region_id == top.pk else unit.region.name


def target_kind(item) -> str:
    """账号类型 of a campaign item: the platform, or 政府网站."""
    return item.account.get_platform_display() if item.account_id else "政府网站"


def campaign_problem(items: Sequence, top, day: datetime.date) -> tuple[str, str] | None:
    """（lead, text) for 三、存在问题: 截至12月31日，2021年上半年专项排查整治工作仍有14个问题账号
    未整改，其中微信公众号问题账号11个（丘北县9个、…），… — one clause per campaign."""
    if not items:
        return None
    by_campaign: dict = {}
    for item in items:
        by_campaign.setdefault(item.campaign, []).append(item)
    clauses = "；".join(_campaign_clause(campaign, members, top)
                       for campaign, members in by_campaign.items())
    return "专项排查整治问题账号整改不到位。", f"截至{day.month}月{day.day}日，{clauses}。"


def _campaign_clause(campaign, items: list, top) -> str:
    """Per 账号类型 in order of appearance, per area: the counties as the items come, then
    the top region's own units (as seed 000 writes them)."""
    groups: dict[str, list] = {}
    for item in items:
        noun = f"{target_kind(item)}问题账号" if item.account_id else "问题政府网站"
        groups.setdefault(noun, []).append(item)
    parts = []
    for noun, members in groups.items():
        areas: dict[tuple[bool, str], int] = {}
        for item in members:
            key = (item.unit.region_id == top.pk, unit_area(item.unit, top))
            areas[key] = areas.get(key, 0) + 1
        ordered = sorted(areas.items(), key=lambda pair: pair[0][0])  # stable: counties first
        parts.append(f"{noun}{len(members)}个（{'、'.join(f'{a}{n}个' for (_, a), n in ordered)}）")
    noun = "问题账号" if any(item.account_id for item in items) else "问题网站"
    return f"{campaign.name}工作仍有{len(items)}个{noun}未整改，其中{'，'.join(parts)}"
