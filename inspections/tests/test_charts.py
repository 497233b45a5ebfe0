import xml.etree.ElementTree as ET
from decimal import Decimal as D

import pytest

from inspections.charts import FONT, for_statistics, group_average_chart, region_pass_rate_chart
from inspections.statistics import GroupComparison, RegionRow, inspection_statistics

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return [t.text for t in root.iter(f"{SVG}text")]


def fonts(svg: str) -> set[str]:
    return {t.get("font-family") for t in ET.fromstring(svg).iter(f"{SVG}text")}


ROWS = [
    RegionRow("文山市", 1, checked=4, with_problems=1, failed=1),
    RegionRow("富宁县", 2, checked=0, with_problems=0, failed=0),
    RegionRow("州直", None, checked=2, with_problems=0, failed=0, is_direct=True),
]


def test_the_region_chart_shows_each_rows_label_and_rate():
    svg = region_pass_rate_chart(ROWS)
    found = texts(svg)
    assert found[0] == "各地区合格率"
    assert {"文山市", "富宁县", "州直"} <= set(found)
    assert "75%（检查4，不合格1）" in found
    assert "—（检查0，不合格0）" in found
    assert "100%（检查2，不合格0）" in found
    assert fonts(svg) == {FONT}


def test_the_group_chart_compares_two_quarters():
    groups = [GroupComparison("发布解读", D(31), D("237.5") / 9, D("215.5") / 9),
              GroupComparison("加分指标", D(30), None, None)]
    svg = group_average_chart(groups, "四季度", "三季度")
    found = texts(svg)
    assert {"四季度", "三季度", "发布解读", "（31分）", "加分指标", "（30分）"} <= set(found)
    assert "26.39" in found and "23.94" in found
    assert found.count("—") == 2  # a group without averages says so
    assert fonts(svg) == {FONT}


def test_the_group_chart_without_a_previous_quarter_has_one_series():
    svg = group_average_chart([GroupComparison("发布解读", D(31), D(20), None)], "一季度", None)
    found = texts(svg)
    assert "一季度" in found and "20" in found and "—" not in found


@pytest.mark.parametrize("name", ['<script>alert("x")</script>', "A&B县", "'\"<>"])
def test_user_text_is_escaped(name):
    svg = region_pass_rate_chart([RegionRow(name, 1, checked=1, with_problems=0, failed=0)],
                                 title=name)
    assert "<script>" not in svg
    assert name in texts(svg)
    assert ET.fromstring(svg).get("aria-label") == name
    group = group_average_chart([GroupComparison(name, None, D(1), D(2))], name, name)
    assert texts(group).count(name) == 3  # the legend twice, the axis once


def test_charts_of_the_demo(demo_inspections):
    charts = for_statistics(inspection_statistics(demo_inspections[4]))
    assert set(charts) == {"region_chart", "group_chart"}
    region = texts(charts["region_chart"])
    assert "州直" in region and "丘北县" in region
    group = texts(charts["group_chart"])
    assert {"四季度", "三季度", "26.39", "23.94", "18.22", "15.11"} <= set(group)


def test_a_check_without_scored_groups_has_no_group_chart(demo_inspections):
    from dataclasses import replace

    from inspections.charts import group_chart, region_chart

    stats = replace(inspection_statistics(demo_inspections[4]), group_comparison=())
    assert group_chart(stats) == ""
    assert "富宁县" in texts(region_chart(stats))
