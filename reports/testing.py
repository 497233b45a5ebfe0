"""Test helpers: a realistic Document for renderer tests, independent of the database (a matrix
annex with merged header cells, landscape, and a long list annex of any length), and a circular
marked issued without rendering its files."""

from __future__ import annotations

from django.utils import timezone

from .choices import CircularStatus
from .document import Annex, Cell, Document, Paragraph, Section, Table
from .models import Circular


def mark_issued(circular: Circular) -> Circular:
    """The circular as issuing.issue leaves it, without its four files (seconds to render): for
    pages that read only its fields and its status."""
    from .addressees import freeze_addressees
    from .assembly import build_document

    circular.snapshot = build_document(circular).to_dict()
    freeze_addressees(circular)
    circular.status = CircularStatus.ISSUED
    circular.issued_at = timezone.now()
    circular.save()
    return circular

SITES = ["州政府", "文山市", "砚山县", "西畴县", "麻栗坡县", "马关县", "丘北县", "广南县", "富宁县"]


def matrix_table(sites: tuple[str, ...] | list[str] = SITES) -> Table:
    """Shaped like annex 1 of seed 000: groups as rows, two columns per site."""
    header = (
        (Cell("考核指标", rowspan=2), *(Cell(site, colspan=2) for site in sites),
         Cell("四季度全州平均指标得分", rowspan=2), Cell("三季度全州平均指标得分", rowspan=2)),
        tuple(Cell(q) for _ in sites for q in ("四季度", "三季度")),
    )
    groups = [("发布解读（31分）", 28), ("办事服务（25分）", 21), ("互动交流（23分）", 23),
              ("功能设计（21分）", 19.5)]
    rows = [
        (Cell(name, align="left"), *(Cell(_plain(v), v) for _ in sites for v in (value, value - 2)),
         Cell("26.4", 26.4), Cell("23.94", 23.94))
        for name, value in groups
    ]
    rows.append((Cell("得分", align="left", bold=True),
                 *(Cell(_plain(v), v) for _ in sites for v in (91.5, 72.7)),
                 Cell("84", 84), Cell("74.9", 74.9)))
    body = tuple(rows)
    return Table(header, body, (3.6, *([1.35] * 2 * len(sites)), 2.8, 2.8),
                 note="注：数据监测采样时间为2021年11月1日—12月5日。", landscape=True)


def list_table(rows: int) -> Table:
    """Shaped like annex 2 of seed 001: failing accounts with their problems."""
    header = ((Cell("序号"), Cell("地区/单位"), Cell("账号名称"), Cell("平台"), Cell("存在问题"),
               Cell("发布时间")),)
    body = tuple(
        (Cell(str(i), i), Cell("丘北县" if i % 2 else "文山州教育体育局", align="left"),
         Cell(f"测试账号{i}（微信）", align="left"), Cell("微信公众号"),
         Cell("严重表述错误：“中华人民共和国”误写", align="left"), Cell("2021.4.9"))
        for i in range(1, rows + 1)
    )
    return Table(header, body, (1, 3, 4, 2, 6, 2.2), note="注：以上数据采样时间2021年4月8日—7月10日。")


def sample_document(list_rows: int = 14) -> Document:
    return Document(
        office="文山州人民政府办公室",
        doc_number="文政办〔2022〕28号",
        title="文山州人民政府办公室关于2021年第四季度全州政府网站和政府系统政务新媒体检查情况的通报",
        addressees="各县（市）人民政府，州直有关部门",
        opening="按照国家和省关于政府网站、政府系统政务新媒体管理工作有关要求，2021年第四季度，"
                "州政府办公室组织对全州政府网站与政府系统政务新媒体运行监管工作进行了检查考核。"
                "现将检查情况通报如下：",
        sections=(
            Section("一、检查情况", (
                Paragraph("截至2021年12月31日，全州在“全国政府网站信息报送系统”中登记在运行政府网站10个，"
                          "经检查均为合格，总体合格率为100%。四季度全州政府网站检查平均得分84分，"
                          "较三季度74.9分有较大提升。", lead="（一）2021年第四季度政府网站检查情况。"),
                Paragraph("截至2021年12月31日，全州在“全国政务新媒体信息报送系统”中备案登记在运行政府系统"
                          "政务新媒体113个，经检查均为合格，总体合格率为100%。",
                          lead="（二）2021年第四季度政府系统政务新媒体检查情况。"),
            )),
            Section("二、存在问题", (Paragraph("部分政府网站存在栏目信息不更新和空白栏目情况。"),)),
            Section("三、下一步工作要求", (
                Paragraph("严格落实“三审”制度，对发布的信息要先审后发。",
                          lead="（一）切实加强信息发布和运维管理工作。"),
            )),
        ),
        signer="文山州人民政府办公室",
        date="2022年1月10日",
        note="联系人：李虹霞；电话：2851097",
        cc="州委办公室，州人大常委会办公室，州政协办公室",
        printer="文山州人民政府办公室",
        print_date="2022年1月10日",
        annexes=(
            Annex(1, "2021年四季度全州在运行政府网站检查得分情况", matrix_table(), "website_matrix"),
            Annex(2, "2021年四季度不合格政务新媒体", list_table(list_rows), "failing_newmedia"),
        ),
    )


def _plain(value: float) -> str:
    return f"{value:g}"
