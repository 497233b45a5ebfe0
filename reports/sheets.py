"""The 公文处理笺 as a sheet: its 领导批示 read back, and the one-page PDF."""

from __future__ import annotations

import datetime
import logging
from typing import NamedTuple

from django.template.loader import render_to_string
from weasyprint import HTML

from .models import Handling
from .renderers.html import stylesheet
from .renderers.pdf import captured_warnings

logger = logging.getLogger(__name__)

SHEET_CSS = "reports/handling.css"
# Body sizes the sheet is tried in, largest first, until it fits one page: 4号, 小4号, 5号, 小5号.
FIT_SIZES_PT = (14, 12, 10.5, 9)


def day_text(value: datetime.date) -> str:
    """Dates on the sheet in Arabic numerals without padding, as in a 公文: 2022年1月12日."""
    return f"{value.year}年{value.month}月{value.day}日"


class Instruction(NamedTuple):
    leader: str
    date: datetime.date | None
    text: str


def instructions_of(handling: Handling) -> list[Instruction]:
    """The stored 领导批示 with their dates as dates (an unreadable date is left blank)."""
    def day(value):
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            return None

    return [Instruction(item.get("leader", ""), day(item.get("date")), item.get("text", ""))
            for item in handling.instructions or []]


def sheet_context(handling: Handling) -> dict:
    return {"handling": handling, "circular": handling.circular, "region": handling.region,
            "instructions": instructions_of(handling)}


def render_sheet_pdf(handling: Handling) -> bytes:
    """The sheet on one A4 page: tried at smaller body sizes until it fits. Text too long for one
    page even at the smallest size runs onto a second page rather than being cut."""
    context = {**sheet_context(handling), "standalone": True, "css": stylesheet(SHEET_CSS)}
    with captured_warnings() as warnings:
        for size in FIT_SIZES_PT:
            html = render_to_string("reports/handling_sheet.html", {**context, "size": size})
            document = HTML(string=html).render()
            if len(document.pages) == 1:
                break
        pdf = document.write_pdf()
    if warnings:
        logger.warning("公文处理笺 %s: %d font warnings, first: %s", handling, len(warnings),
                       warnings[0])
    return pdf
