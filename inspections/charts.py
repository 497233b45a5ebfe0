"""Two small charts of a check's statistics as server-rendered SVG strings: no script, no
library, plain attributes and a named CJK font on every text, so the same markup shows in
the page, prints, and embeds in the circular's PDF. Every text is escaped (region names
come from users).

    context.update(charts.for_statistics(stats))  # region_chart, group_chart
    charts.region_chart(stats), charts.group_chart(stats)  # the same, one at a time
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from .formatting import number, percent
from .statistics import GroupComparison, InspectionStatistics, RegionRow

FONT = "Noto Sans CJK SC, sans-serif"
INK, MUTED, LINE = "#1f2328", "#5c6670", "#d8dde3"
THIS_COLOUR, PREVIOUS_COLOUR = "#b0282d", "#9aa4ae"
PASS_COLOUR, FAIL_COLOUR, TRACK_COLOUR = "#2f6fb0", "#c62828", "#eef0f3"
WIDTH = 640


def for_statistics(stats: InspectionStatistics) -> dict[str, str]:
    """Both charts of `stats`, named as templates/inspections/_statistics.html expects them."""
    return {"region_chart": region_chart(stats), "group_chart": group_chart(stats)}


def region_chart(stats: InspectionStatistics) -> str:
    """The pass rates of the check's region rows (without the 合计 row)."""
    return region_pass_rate_chart(stats.region_rows)


def group_chart(stats: InspectionStatistics) -> str:
    """This quarter's group averages beside the previous quarter's; "" for a scheme without
    scored groups (new media), so the page shows no empty chart."""
    if not stats.group_comparison:
        return ""
    previous = stats.previous.quarter_word if stats.previous else None
    return group_average_chart(stats.group_comparison, stats.this_quarter.quarter_word, previous)


def region_pass_rate_chart(rows: Sequence[RegionRow], title: str = "各地区合格率") -> str:
    """Horizontal bars of each region row's pass rate: the bar is the checked targets, its
    passed part blue and its failed part red, labelled with the rate and the counts; a row
    with nothing checked has an empty bar and reads "—"."""
    label_width = min(200, 14 * max([len(r.label) for r in rows] + [2]) + 12)
    bar_width, row_height, top = WIDTH - label_width - 190, 26, 40
    parts = [_text(WIDTH / 2, 22, title, anchor="middle", size=15, weight="bold")]
    for index, row in enumerate(rows):
        y = top + index * row_height
        parts.append(_text(label_width - 8, y + 17, row.label, anchor="end"))
        parts.append(_rect(label_width, y + 4, bar_width, 18, TRACK_COLOUR))
        if row.checked:
            passed = bar_width * row.passed / row.checked
            parts.append(_rect(label_width, y + 4, passed, 18, PASS_COLOUR))
            if row.failed:
                parts.append(_rect(label_width + passed, y + 4, bar_width - passed, 18, FAIL_COLOUR))
        note = f"{percent(row.pass_rate, 1)}（检查{row.checked}，不合格{row.failed}）"
        parts.append(_text(label_width + bar_width + 8, y + 17, note, size=12, fill=MUTED))
    return _svg(top + row_height * len(rows) + 10, title, parts)


def group_average_chart(groups: Sequence[GroupComparison], this_label: str,
                        previous_label: str | None, title: str = "一级指标平均得分") -> str:
    """Grouped vertical bars of each group's average this quarter (and the previous one's,
    when there was a previous check), on one axis up to the largest 分值."""
    plot_top, plot_height, left = 60, 200, 40
    slot = (WIDTH - left - 10) / max(len(groups), 1)
    scale = max([g.max_points or 0 for g in groups] + [_largest(groups)] + [1])
    parts = [_text(WIDTH / 2, 22, title, anchor="middle", size=15, weight="bold")]
    parts += _legend(this_label, previous_label)
    baseline = plot_top + plot_height
    parts.append(f'<line x1="{left}" y1="{baseline}" x2="{WIDTH - 10}" y2="{baseline}" '
                 f'stroke="{LINE}" stroke-width="1"/>')
    series = [(lambda g: g.this_quarter, THIS_COLOUR)]
    if previous_label:
        series.append((lambda g: g.previous, PREVIOUS_COLOUR))
    bar = min(36, slot / (len(series) + 1))
    for index, group in enumerate(groups):
        x0 = left + index * slot + (slot - bar * len(series)) / 2
        for offset, (value_of, colour) in enumerate(series):
            value = value_of(group)
            x = x0 + offset * bar
            bar_height = 0 if value is None else float(value / Decimal(scale)) * plot_height
            if bar_height:
                parts.append(_rect(x + 2, baseline - bar_height, bar - 4, bar_height, colour))
            parts.append(_text(x + bar / 2, baseline - bar_height - 4, number(value, 2),
                               anchor="middle", size=11))
        centre = left + index * slot + slot / 2
        parts.append(_text(centre, baseline + 18, group.name, anchor="middle"))
        if group.max_points is not None:
            parts.append(_text(centre, baseline + 34, f"（{number(group.max_points, 2)}分）",
                               anchor="middle", size=11, fill=MUTED))
    return _svg(baseline + 44, title, parts)


def _largest(groups: Sequence[GroupComparison]) -> Decimal:
    values = [v for g in groups for v in (g.this_quarter, g.previous) if v is not None]
    return max(values, default=Decimal(0))


def _legend(this_label: str, previous_label: str | None) -> list[str]:
    items = [(this_label, THIS_COLOUR)] + ([(previous_label, PREVIOUS_COLOUR)] if previous_label else [])
    parts = []
    for index, (label, colour) in enumerate(items):
        x = WIDTH / 2 - 80 * len(items) / 2 + index * 80
        parts.append(_rect(x, 34, 12, 12, colour))
        parts.append(_text(x + 16, 45, label, size=12))
    return parts


def _svg(height: float, title: str, parts: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{_n(height)}" '
        f'viewBox="0 0 {WIDTH} {_n(height)}" style="max-width:100%;height:auto" role="img" '
        f'aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )


def _rect(x: float, y: float, width: float, height: float, fill: str) -> str:
    return (f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}" '
            f'fill="{fill}"/>')


def _text(x: float, y: float, content: str, *, anchor: str = "start", size: int = 13,
          weight: str = "normal", fill: str = INK) -> str:
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-family="{FONT}" font-size="{size}" '
            f'font-weight="{weight}" fill="{fill}" text-anchor="{anchor}">{escape(content)}</text>')


def _n(value: float) -> str:
    """A coordinate with at most one decimal."""
    return f"{value:.1f}".removesuffix(".0")
