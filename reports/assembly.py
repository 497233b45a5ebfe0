"""From a circular (saved or a fresh draft) to its Document: the sections with their text
and figures, and the annexes it carries. An issued circular is read from its snapshot."""

from __future__ import annotations

import datetime

from django.utils import timezone

from inspections.choices import Target
from inspections.models import Inspection
from inspections.recheck import open_campaign_items, previous_quarter_rectification
from inspections.statistics import inspection_statistics, population
from interaction.circular import figures_sentence
from sites.models import Region

from . import text
from .annexes import BUILDERS, CircularData, default_annexes
from .choices import AnnexKind
from .defaults import office_defaults
from .document import Annex, Document, Paragraph, Section
from .models import Circular

NUMERALS = "一二三四五六七八九十"


def quarter_inspections(region: Region, year: int, quarter: int) -> dict[str, Inspection | None]:
    found = {i.target: i for i in Inspection.objects.filter(region=region, year=year,
                                                            quarter=quarter)}
    return {target: found.get(target) for target in Target.values}


def covered_targets(website: Inspection | None, newmedia: Inspection | None) -> tuple[str, ...]:
    """What a circular reports on, in its title, opening and 一、检查情况: websites alone when
    the quarter has a website check and no new-media check, else both (a quarter with no check
    at all says so for each)."""
    if website is not None and newmedia is None:
        return (Target.WEBSITES,)
    return (Target.WEBSITES, Target.NEWMEDIA)


def _covered_words(circular: Circular, joiner: str = "和") -> str:
    """政府网站, or 政府网站和政府系统政务新媒体."""
    targets = covered_targets(circular.website_inspection, circular.newmedia_inspection)
    return joiner.join(text.NOUN[target] for target in targets)


def circular_data(circular: Circular) -> CircularData:
    website, newmedia = circular.website_inspection, circular.newmedia_inspection
    checks = {Target.WEBSITES: website, Target.NEWMEDIA: newmedia}
    return CircularData(
        region=circular.region, year=circular.year, quarter=circular.quarter,
        website=website, newmedia=newmedia,
        website_stats=inspection_statistics(website) if website else None,
        newmedia_stats=inspection_statistics(newmedia) if newmedia else None,
        average_decimals=circular.average_decimals,
        previous_average_decimals=circular.previous_average_decimals,
        rectification={target: previous_quarter_rectification(
            check or _no_check(circular, target)) for target, check in checks.items()},
        open_campaign_items=tuple(open_campaign_items(
            circular.region, _quarter_end(circular.year, circular.quarter))),
        as_of=circular.date,
    )


def _no_check(circular: Circular, target: str) -> Inspection:
    """The quarter's check that was not made, to ask for its population or predecessor."""
    return Inspection(region=circular.region, year=circular.year, quarter=circular.quarter,
                      target=target)


def _quarter_end(year: int, quarter: int) -> datetime.date:
    return Inspection(year=year, quarter=quarter).quarter_end


def new_circular(region: Region, year: int, quarter: int) -> Circular:
    """An unsaved draft with every default filled: the quarter's checks, the office's
    names, the next free 发文字号, the default annexes."""
    office = office_defaults(region)
    checks = quarter_inspections(region, year, quarter)
    today = timezone.localdate()
    circular = Circular(
        region=region, year=year, quarter=quarter,
        website_inspection=checks[Target.WEBSITES], newmedia_inspection=checks[Target.NEWMEDIA],
        office_name=office.office_name, doc_prefix=office.doc_prefix, doc_year=today.year,
        doc_number=Circular.next_number(office.doc_prefix, today.year),
        addressees=office.addressees, requirements=office.requirements, signer=office.office_name,
        date=today, contact=office.contact, cc=office.cc, printer=office.printer, print_date=today,
    )
    circular.title = (f"{office.office_name}关于{text.quarter_name(year, quarter)}{region.whole_label}"
                      f"{_covered_words(circular)}检查情况的通报")
    circular.annexes = default_annexes(circular_data(circular))
    return circular


def build_document(circular: Circular, data: CircularData | None = None) -> Document:
    if circular.is_issued and circular.snapshot:
        return Document.from_dict(circular.snapshot)
    data = data or circular_data(circular)
    annexes = tuple(
        Annex(number, title, table, kind)
        for number, (kind, title, table) in enumerate(_annex_tables(circular, data), start=1)
    )
    numbers = {annex.key: annex.number for annex in annexes}
    return Document(
        office=circular.office_name,
        doc_number=circular.doc_number_text,
        title=circular.title,
        addressees=circular.addressees,
        opening=circular.opening or default_opening(circular),
        sections=sections(circular, data, numbers),
        signer=circular.signer,
        date=text.chinese_date(circular.date),
        note=circular.contact,
        cc=circular.cc,
        printer=circular.printer,
        print_date=text.chinese_date(circular.print_date) if circular.print_date else "",
        annexes=annexes,
    )


def _annex_tables(circular: Circular, data: CircularData):
    for kind in circular.annexes:
        if kind not in BUILDERS:
            continue
        builder, title = BUILDERS[kind]
        table = builder(data)
        if table is not None:
            yield kind, title(data), table


def default_opening(circular: Circular) -> str:
    region = circular.region
    return (
        f"按照国家和省关于{_covered_words(circular, '、')}管理工作有关要求，"
        f"{text.quarter_name(circular.year, circular.quarter)}，{region.short_word}政府办公室组织对"
        f"{region.whole_label}{_covered_words(circular, '与')}运行监管工作进行了检查。"
        f"现将检查情况通报如下："
    )


def annex_numbers(circular: Circular, data: CircularData) -> dict[str, int]:
    """The number each annex kind gets in the document (the ones with a table)."""
    return {kind: number for number, (kind, _, _) in
            enumerate(_annex_tables(circular, data), start=1)}


def generated_overview(circular: Circular, data: CircularData,
                       numbers: dict[str, int] | None = None) -> tuple[Paragraph, ...]:
    """一、检查情况 as the data writes it: one paragraph per kind of target, ending with
    the rectification of the previous quarter's findings where it had any."""
    if numbers is None:
        numbers = annex_numbers(circular, data)
    paragraphs = []
    checks = {Target.WEBSITES: (data.website, data.website_stats),
              Target.NEWMEDIA: (data.newmedia, data.newmedia_stats)}
    for index, target in enumerate(covered_targets(data.website, data.newmedia)):
        inspection, stats = checks[target]
        if inspection is None:
            inspection = _no_check(circular, target)
        paragraph = text.target_paragraph(
            NUMERALS[index], target, circular.year, circular.quarter, circular.region.whole_label,
            stats.population if stats else population(inspection, circular.region), stats,
        )
        found, done, _ = data.rectification.get(target, (0, 0, []))
        recheck = text.rectification_sentence(found, done, numbers.get(AnnexKind.OPEN_FINDINGS))
        paragraphs.append(Paragraph(paragraph.text + recheck, paragraph.lead))
    messages = figures_sentence(circular.region, circular.year, circular.quarter,
                                as_of=data.as_of)
    if messages:
        annex = numbers.get(AnnexKind.UNHANDLED_MESSAGES)
        see = f"未办理留言清单见附件{annex}。" if annex else ""
        paragraphs.append(Paragraph(messages + see, f"（{NUMERALS[len(paragraphs)]}）政民互动办理回复情况。"))
    return tuple(paragraphs)


def generated_problems(data: CircularData) -> tuple[Paragraph, ...]:
    """三、存在问题 as the data writes it, the campaigns' open items last."""
    campaign = text.campaign_problem(data.open_campaign_items, data.region,
                                     _quarter_end(data.year, data.quarter))
    return text.problem_paragraphs(data.website_stats, data.newmedia_stats,
                                   [campaign] if campaign else [])


def sections(circular: Circular, data: CircularData,
             numbers: dict[str, int] | None = None) -> tuple[Section, ...]:
    parts = [
        ("检查情况", text.paragraphs_from_text(circular.overview)
         or generated_overview(circular, data, numbers)),
        ("工作成效", text.paragraphs_from_text(circular.achievements)),
        ("存在问题", text.paragraphs_from_text(circular.problems) or generated_problems(data)),
        ("下一步工作要求", text.paragraphs_from_text(circular.requirements)),
    ]
    present = [(name, paragraphs) for name, paragraphs in parts if paragraphs]
    return tuple(Section(f"{NUMERALS[i]}、{name}", paragraphs)
                 for i, (name, paragraphs) in enumerate(present))
