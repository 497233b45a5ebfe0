"""render_circular right after a directory and a results import into a fresh database:
every default comes from the top region (咸宁市 → 咸宁市人民政府办公室, 全市, 市直)."""

import io
import re

import pytest
from django.core.management import call_command

from common.testing import workbook_bytes
from inspections.results_import import import_results
from sites.directory_import import import_directory

pytestmark = pytest.mark.django_db


def import_two_workbooks(tongcheng_scores=("", "", "", "")):
    """咸宁市 with two counties, and a 2024 Q2 website check in which 通城县 is vetoed."""
    import_directory(io.BytesIO(workbook_bytes({
        "地区": [["地区名称", "上级地区", "区划代码"], ["咸宁市", "", "421200"],
                 ["咸安区", "咸宁市", "421202"], ["通城县", "咸宁市", "421222"]],
        "政府网站": [
            ["网站标识码", "网站名称", "首页网址", "主办单位", "所属地区", "网站类型"],
            ["4212000001", "咸宁市人民政府", "www.xianning.gov.cn", "咸宁市人民政府办公室", "咸宁市", "门户网站"],
            ["4212020001", "咸安区人民政府", "www.xianan.gov.cn", "咸安区人民政府办公室", "咸安区", "门户网站"],
            ["4212220001", "通城县人民政府", "www.tongcheng.gov.cn", "通城县人民政府办公室", "通城县", "门户网站"],
        ],
    })))
    import_results(io.BytesIO(workbook_bytes({"政府网站": [
        ["网站标识码", "发布解读", "办事服务", "互动交流", "功能设计", "单项否决", "存在问题"],
        ["4212000001", 30, 24, 22, 20, "", ""],
        ["4212020001", 20, 15, 15, 10, "", ""],
        ["4212220001", *tongcheng_scores, "首页不更新", "首页两周未更新"],
    ]})), year=2024, quarter=2)


def render_html(tmp_path) -> str:
    out = tmp_path / "通报.html"
    call_command("render_circular", year=2024, quarter=2, fmt="html", output=out,
                 stdout=io.StringIO())
    return out.read_text(encoding="utf-8")


def test_a_circular_from_nothing_but_two_imports(tmp_path):
    import_two_workbooks()
    html = render_html(tmp_path)
    for text in ("咸宁市人民政府办公室关于2024年第二季度全市政府网站检查情况的通报", "咸政办〔",
                 "各县（区）人民政府，市直有关部门",
                 "全市在“全国政府网站信息报送系统”中登记在运行政府网站3个",
                 "合格2个，不合格1个，总体合格率为66.67%", "首页不更新1个（占检查数的33.33%）",
                 "“通城县人民政府”网站", "2024年二季度全市在运行政府网站检查得分情况",
                 "组织对全市政府网站运行监管工作进行了检查"):
        assert text in html, text
    # No new-media check: the opening and 一、检查情况, like the title, speak of websites only.
    assert "政务新媒体" not in html.split("</h1>")[1].split("二、存在问题")[0]


def matrix_rows(html: str) -> dict[str, list[str]]:
    annex = html.split("2024年二季度全市在运行政府网站检查得分情况")[-1]
    rows = re.findall(r"<tr>(.*?)</tr>", annex.split("</table>")[0], re.S)
    cells = [[text.replace("\n", "") for text in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
             for row in rows]  # a cell's lines are broken by newlines
    return {row[0]: row[1:] for row in cells if row}


@pytest.mark.parametrize("scores", [("", "", "", ""), (25, 20, 18, 10)])
def test_a_vetoed_county_is_printed_vetoed_whether_or_not_it_was_scored(tmp_path, scores):
    import_two_workbooks(scores)
    html = render_html(tmp_path)
    rows = matrix_rows(html)
    assert rows["考核指标"][:3] == ["市政府", "咸安区", "通城县"]
    # this and last quarter per site, then the two averages: 通城县's points count for nothing
    assert rows["得分"][4] == "单项否决" and rows["得分"][-2] == "78"  # (96 + 60) / 2
    assert rows["发布解读（31分）"][4] == "" and rows["发布解读（31分）"][-2] == "25"
    assert "73.0" not in html
    assert "注：数据监测采样时间为" in html and "平均得分不含单项否决网站。" in html
