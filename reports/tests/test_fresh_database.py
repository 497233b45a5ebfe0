"""render_circular right after a directory and a results import into a fresh database:
every default comes from the top region (咸宁市 → 咸宁市人民政府办公室, 全市, 市直)."""

import io

import pytest
from django.core.management import call_command

from common.testing import workbook_bytes
from inspections.results_import import import_results
from sites.directory_import import import_directory

pytestmark = pytest.mark.django_db


def test_a_circular_from_nothing_but_two_imports(tmp_path):
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
        ["4212220001", "", "", "", "", "首页不更新", "首页两周未更新"],
    ]})), year=2024, quarter=2)
    out = tmp_path / "通报.html"
    call_command("render_circular", year=2024, quarter=2, fmt="html", output=out,
                 stdout=io.StringIO())
    html = out.read_text(encoding="utf-8")
    for text in ("咸宁市人民政府办公室关于2024年第二季度全市政府网站检查情况的通报", "咸政办〔",
                 "各县（区）人民政府，市直有关部门",
                 "全市在“全国政府网站信息报送系统”中登记在运行政府网站3个",
                 "合格2个，不合格1个，总体合格率为66.67%", "首页不更新1个（占检查数的33.33%）",
                 "“通城县人民政府”网站", "2024年二季度全市在运行政府网站检查得分情况",
                 "本季度暂无政府系统政务新媒体检查结果"):
        assert text in html, text
