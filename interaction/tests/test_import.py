"""The messages workbook (sheet 留言): every kind of problem, all or nothing, idempotency,
through the function, the command and the upload page."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from common.testing import workbook_bytes, workbook_file
from common.workbook import ImportFailed
from interaction.choices import ChannelKind, MessageStatus
from interaction.message_import import import_messages, template
from interaction.models import Channel, Message
from sites.models import Region, Unit
from sites.roles import Role

HEADER = ["渠道", "留言ID", "所属单位", "所属地区", "留言时间", "回复时间", "办理状态"]
TODAY = datetime.date(2022, 1, 10)


def row(external_id="2508", **changes):
    values = dict(zip(HEADER, ["我为政府网站找错", external_id, "丘北县公安局", "丘北县",
                               "2021-10-08", "2021.10.11", ""], strict=True))
    values.update(changes)
    return [values[h] for h in HEADER]


def run(rows, header=HEADER, **kwargs):
    kwargs.setdefault("today", TODAY)
    return import_messages(io.BytesIO(workbook_bytes({"留言": [header, *rows]})), **kwargs)


def problems_of(rows, **kwargs):
    with pytest.raises(ImportFailed) as failure:
        run(rows, **kwargs)
    return [str(p) for p in failure.value.problems]


def snapshot():
    return sorted(Message.objects.values_list(
        "channel__name", "external_id", "unit__name", "received_at", "deadline", "replied_at",
        "status"))


@pytest.fixture
def qiubei_column(demo, region):
    return Channel.objects.create(name="丘北县百姓信箱", kind=ChannelKind.PORTAL, reply_days=5,
                                  region=region("丘北县"))


def test_a_good_workbook_is_imported_with_deadlines_and_new_units(qiubei_column):
    result = run([
        row(),
        row("2509", **{"回复时间": "", "办理状态": "办理中"}),
        row("7", **{"渠道": "丘北县百姓信箱", "所属单位": "丘北县新单位", "回复时间": "",
                    "留言时间": "2021年9月30日"}),
    ])
    assert result.summary_lines() == ["留言：新增 3，更新 0，未变 0", "所属单位：新增 1"]
    assert snapshot() == [
        ("丘北县百姓信箱", "7", "丘北县新单位", datetime.date(2021, 9, 30),
         datetime.date(2021, 10, 13), None, MessageStatus.UNHANDLED),
        ("我为政府网站找错", "2508", "丘北县公安局", datetime.date(2021, 10, 8),
         datetime.date(2021, 10, 12), datetime.date(2021, 10, 11), MessageStatus.HANDLED),
        ("我为政府网站找错", "2509", "丘北县公安局", datetime.date(2021, 10, 8),
         datetime.date(2021, 10, 12), None, MessageStatus.IN_PROGRESS),
    ]
    assert Unit.objects.get(name="丘北县新单位").region.name == "丘北县"
    assert Message.objects.get(external_id="2508").history.count() == 1


def test_importing_again_changes_nothing_and_changes_are_counted(demo):
    run([row(), row("2509", **{"回复时间": "", "办理状态": "办理中"})])
    before = snapshot()
    assert run([row(), row("2509", **{"回复时间": ""})]).summary_lines() == [
        "留言：新增 0，更新 0，未变 2"]  # an empty 办理状态 keeps 办理中
    assert snapshot() == before
    result = run([row(**{"回复时间": "2021-10-20"}), row("2509", **{"回复时间": ""})])
    assert result.summary_lines() == ["留言：新增 0，更新 1，未变 1"]
    assert Message.objects.get(external_id="2508").replied_at == datetime.date(2021, 10, 20)


def test_every_problem_is_named_and_nothing_changes(qiubei_column, region):
    Region.objects.create(name="新华乡", parent=region("丘北县"), level="county")
    Region.objects.create(name="新华乡", parent=region("西畴县"), level="county")
    run([row("1")])
    before = snapshot()
    found = problems_of([
        row("2"),                                                         # good, not written
        row("3", **{"渠道": "市长热线"}),
        row("", **{"留言时间": ""}),
        row("4", **{"留言时间": "2021-13-01"}),
        row("5", **{"办理状态": "已处理"}),
        row("6", **{"所属地区": "火星区"}),
        row("7", **{"所属地区": "新华乡"}),
        row("8", **{"渠道": "丘北县百姓信箱", "所属地区": "西畴县", "所属单位": "西畴县公安局"}),
        row("9", **{"回复时间": "2021-10-07"}),
        row("10", **{"办理状态": "办理中"}),
        row("11", **{"回复时间": "", "办理状态": "已办结"}),
        row("12", **{"留言时间": "2022-01-11", "回复时间": ""}),
        row("2"),
    ])
    assert found == [  # in the order a reader meets them
        "工作表“留言”，第3行，“渠道”列：未知渠道“市长热线”，可用的渠道：丘北县百姓信箱、我为政府网站找错、"
        "省政府网站曝光平台",
        "工作表“留言”，第4行，“留言ID”列：必填，不能为空",
        "工作表“留言”，第4行，“留言时间”列：必填，不能为空",
        "工作表“留言”，第5行，“留言时间”列：“2021-13-01”不是有效日期",
        "工作表“留言”，第6行，“办理状态”列：“已处理”不是可用的值，应为：已办结、办理中、未办理",
        "工作表“留言”，第7行，“所属地区”列：未知地区“火星区”",
        "工作表“留言”，第8行，“所属地区”列：地区名称“新华乡”不唯一",
        "工作表“留言”，第9行，“所属地区”列：“西畴县”不在渠道“丘北县百姓信箱”所属地区（丘北县）范围内",
        "工作表“留言”，第10行，“回复时间”列：回复时间早于留言时间",
        "工作表“留言”，第11行，“办理状态”列：已填写回复时间，办理状态应为已办结，不能是办理中",
        "工作表“留言”，第12行，“回复时间”列：办理状态为已办结时应填写回复时间",
        "工作表“留言”，第13行，“留言时间”列：2022-01-11晚于今天",
        "工作表“留言”，第14行，“留言ID”列：渠道“我为政府网站找错”的留言ID“2”与第2行重复",
    ]
    assert snapshot() == before
    assert not Unit.objects.filter(name="西畴县公安局", region__name="丘北县").exists()


@pytest.mark.parametrize(("sheets", "problem"), [
    ({"Sheet1": [HEADER]}, "工作簿中没有“留言”工作表。"),
    ({"留言": [[*HEADER, "留言内容"], row()]},
     "工作表“留言”，第1行：无法识别的列：留言内容。可用的列：渠道、留言ID、所属单位、所属地区、留言时间、回复时间、办理状态"),
    ({"留言": [HEADER[1:], row()[1:]]}, "工作表“留言”，第1行：缺少必填列：渠道"),
    ({"留言": []}, "工作表“留言”，第1行：工作表是空的，第1行应为表头"),
])
def test_sheet_level_problems(demo, sheets, problem):
    with pytest.raises(ImportFailed) as failure:
        import_messages(io.BytesIO(workbook_bytes(sheets)), today=TODAY)
    assert [str(p) for p in failure.value.problems] == [problem]


def test_a_file_that_is_not_a_workbook_is_refused(demo):
    with pytest.raises(ImportFailed) as failure:
        import_messages(io.BytesIO(b"not a workbook"))
    assert "不是有效的 Excel 工作簿" in str(failure.value)


def test_an_admin_imports_only_within_their_scope(qiubei_column, make_user, region, unit,
                                                  add_message, channel):
    add_message(channel(), "99", unit("文山州教育体育局"), "2021-10-08")
    xichou_column = Channel.objects.create(name="西畴县百姓信箱", kind=ChannelKind.PORTAL,
                                           reply_days=5, region=region("西畴县"))
    qiubei_admin = make_user(Role.ADMIN, region=region("丘北县"))
    found = problems_of([
        row("1", **{"所属地区": "西畴县", "所属单位": "西畴县公安局"}),
        row("2", **{"渠道": xichou_column.name}),
        row("99"),
    ], user=qiubei_admin)
    assert found == [
        "工作表“留言”，第2行，“所属地区”列：未知地区“西畴县”",
        "工作表“留言”，第3行，“渠道”列：未知渠道“西畴县百姓信箱”，可用的渠道：丘北县百姓信箱、"
        "我为政府网站找错、省政府网站曝光平台",
        "工作表“留言”，第4行，“留言ID”列：该留言已登记在您管理范围以外的单位",
    ]
    assert run([row("1")], user=qiubei_admin).summary_lines() == ["留言：新增 1，更新 0，未变 0"]


def test_a_unit_scoped_admin_cannot_file_under_other_units(demo, make_user, unit, region):
    office_admin = make_user(Role.ADMIN, unit=unit("丘北县人民政府办公室"))
    assert problems_of([row("1")], user=office_admin) == [
        "工作表“留言”，第2行，“所属单位”列：该单位不在您的管理范围内"]


def test_the_template_is_importable(demo):
    workbook = load_workbook(io.BytesIO(template()))
    assert workbook.sheetnames == ["留言", "说明"]
    assert [c.value for c in workbook["留言"][1]] == HEADER
    result = import_messages(io.BytesIO(template()), today=TODAY)
    assert result.summary_lines() == ["留言：新增 1，更新 0，未变 0"]


# The command

def test_the_command_exits_non_zero_and_lists_every_problem(demo, tmp_path, capsys):
    path = tmp_path / "留言.xlsx"
    path.write_bytes(workbook_bytes({"留言": [HEADER, row(), row("3", **{"渠道": "市长热线"}),
                                            row("4", **{"留言时间": "昨天"})]}))
    with pytest.raises(CommandError) as error:
        call_command("import_messages", str(path))
    assert "共 2 个问题" in str(error.value)
    stderr = capsys.readouterr().err
    assert "市长热线" in stderr and "“昨天”不是日期" in stderr
    assert not Message.objects.exists()


def test_the_command_imports_and_says_what_changed(demo, tmp_path, capsys):
    path = tmp_path / "留言.xlsx"
    path.write_bytes(workbook_bytes({"留言": [HEADER, row()]}))
    call_command("import_messages", str(path))
    call_command("import_messages", str(path))
    out = capsys.readouterr().out
    assert "留言：新增 1，更新 0，未变 0" in out and "留言：新增 0，更新 0，未变 1" in out


# The upload page

def test_the_upload_page_lists_problems_and_imports(client, office_admin):
    client.force_login(office_admin)
    url = reverse("interaction:message_import")
    template_response = client.get(url + "?template")
    assert template_response.status_code == 200
    assert load_workbook(io.BytesIO(template_response.content)).sheetnames == ["留言", "说明"]
    page = client.post(url, {"file": workbook_file(
        {"留言": [HEADER, row(), row("3", **{"渠道": "市长热线"})]}, "留言.xlsx")})
    content = page.content.decode()
    assert "发现 1 个问题" in content and "未知渠道“市长热线”" in content
    assert not Message.objects.exists()
    done = client.post(url, {"file": workbook_file({"留言": [HEADER, row()]}, "留言.xlsx")},
                       follow=True)
    assert "导入成功" in done.content.decode()
    assert Message.objects.count() == 1


def test_liaisons_may_not_import(client, liaison):
    client.force_login(liaison)
    assert client.get(reverse("interaction:message_import")).status_code == 403


# Provisional deadlines, channels of the same name, the record of what was imported

def test_the_result_says_which_deadlines_are_provisional(demo):
    result = run([row("1", **{"留言时间": "2026-12-29", "回复时间": ""}),
                  row("2", **{"留言时间": "2026-12-01", "回复时间": ""})],
                 today=datetime.date(2026, 12, 31))
    assert result.summary_lines() == [
        "留言：新增 2，更新 0，未变 0",
        "1 条留言的办理期限暂定：2027年节假日安排尚未录入，办理期限暂按周一至周五计算",
    ]
    message = Message.objects.get(external_id="1")
    assert (message.deadline, message.deadline_provisional) == (datetime.date(2027, 1, 1), True)


def test_channels_of_the_same_name_are_told_apart_by_the_rows_region(demo, region):
    for county in ("丘北县", "西畴县"):
        Channel.objects.create(name="百姓信箱", kind=ChannelKind.PORTAL, reply_days=5,
                               region=region(county))
    run([row("1", **{"渠道": "百姓信箱"}),
         row("1", **{"渠道": "百姓信箱", "所属地区": "西畴县", "所属单位": "西畴县公安局"})])
    assert sorted(Message.objects.values_list("channel__region__name", "external_id")) == [
        ("丘北县", "1"), ("西畴县", "1")]
    Channel.objects.create(name="百姓信箱", kind=ChannelKind.PORTAL, reply_days=5,
                           region=region("文山州"))
    # A 丘北县 row now fits the prefecture's channel and the county's; a 砚山县 row only the
    # prefecture's.
    assert problems_of([row("2", **{"渠道": "百姓信箱"}),
                        row("3", **{"渠道": "百姓信箱", "所属地区": "砚山县"})]) == [
        "工作表“留言”，第2行，“渠道”列：渠道名称“百姓信箱”不唯一：文山州、丘北县都有同名渠道，"
        "无法确定“丘北县”的留言属于哪一个，请先在留言渠道中修改名称",
    ]
    assert not Message.objects.filter(external_id__in=["2", "3"]).exists()


def test_every_import_records_its_scope_and_its_national_messages(qiubei_column, make_user,
                                                                  region):
    from interaction.models import MessageImport

    qiubei_admin = make_user(Role.ADMIN, region=region("丘北县"))
    run([row("1", **{"留言时间": "2021-03-02"}), row("2"),
         row("3", **{"渠道": "丘北县百姓信箱", "留言时间": "2021-01-04"})], user=qiubei_admin)
    run([row("4", **{"渠道": "丘北县百姓信箱"})])
    by_page, by_command = MessageImport.objects.order_by("pk")
    assert (by_page.imported_by, by_page.region, by_page.unit) == (qiubei_admin, region("丘北县"),
                                                                    None)
    assert (by_page.national_first, by_page.national_last) == (datetime.date(2021, 3, 2),
                                                                datetime.date(2021, 10, 8))
    assert by_page.covers(region("丘北县")) and not by_page.covers(region("西畴县"))
    assert (by_command.region, by_command.national_first) == (None, None)  # no national row
    assert not MessageImport.objects.national_in(2021).filter(pk=by_command.pk).exists()
