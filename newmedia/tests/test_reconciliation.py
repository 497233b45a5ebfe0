"""信息报送系统核查: reading the lists, comparing them, recording the differences, turning them
into rectification tasks, and the pages (permissions, scope, export, query counts)."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.testing import workbook_bytes, workbook_file
from common.workbook import ImportFailed
from inspections.models import Campaign, CampaignItem, RectificationTask
from newmedia.models import Account, DifferenceKind, Reconciliation, ReconciliationDifference
from newmedia.reconciliation import (
    Entry,
    campaign_name,
    compare,
    directory_entries,
    open_tasks,
    read_registry,
    record,
    template,
)
from newmedia.reconciliation_registration import is_national_system, register_accounts
from sites.models import Unit
from sites.roles import Role

HEADER = ["账号名称", "平台", "账号类型", "账号ID", "主办单位", "所属地区", "运行状态"]
PERMS = ("newmedia.view_reconciliation", "newmedia.add_reconciliation")


def row(name, platform="微信公众号", type_="订阅号", account_id="", unit="丘北县人民政府办公室",
        region="丘北县", status="运行"):
    return [name, platform, type_, account_id, unit, region, status]


def read(rows, header=HEADER, sheet="账号"):
    return read_registry(io.BytesIO(workbook_bytes({sheet: [header, *rows]})))


def problems_of(rows, header=HEADER, sheet="账号"):
    with pytest.raises(ImportFailed) as failure:
        read(rows, header, sheet)
    return [str(p) for p in failure.value.problems]


def kinds(differences):
    return [(d.kind, d.entry.name, d.left_value, d.right_value) for d in differences]


# Comparing two lists ---------------------------------------------------------------------

def test_two_lists_show_each_kind_of_difference():
    national = read([
        row("丘北发布"),
        row("丘北旧号", status="运行"),
        row("丘北教育", type_="订阅号"),
        row("丘北应急", status="注销"),
        row("丘北林草", unit="丘北县林业和草原局"),
    ])
    provincial = read([
        row("丘北发布"),
        row("丘北教育", type_="服务号"),
        row("丘北应急", status="正常"),
        row("丘北林草", unit="丘北县自然资源局"),
        row("丘北新号", platform="抖音", type_=""),
    ])
    differences = compare(national, provincial, left_label="全国系统", right_label="省级平台")
    assert kinds(differences) == [
        (DifferenceKind.TYPE_DIFFERS, "丘北教育", "订阅号", "服务号"),
        (DifferenceKind.STATUS_DIFFERS, "丘北应急", "注销", "运行"),
        (DifferenceKind.UNIT_DIFFERS, "丘北林草", "丘北县林业和草原局", "丘北县自然资源局"),
        (DifferenceKind.ONLY_LEFT, "丘北旧号", "有（运行）", "无"),
        (DifferenceKind.ONLY_RIGHT, "丘北新号", "无", "有（运行）"),
    ]
    assert [d.description for d in differences] == [
        "账号类型不一致：全国系统为“订阅号”，省级平台为“服务号”",
        "运行状态不一致：全国系统为“注销”，省级平台为“运行”",
        "主办单位不一致：全国系统为“丘北县林业和草原局”，省级平台为“丘北县自然资源局”",
        "全国系统中有，省级平台中没有（全国系统中为“运行”）",
        "省级平台中有，全国系统中没有（省级平台中为“运行”）",
    ]


def test_platform_aliases_name_the_same_platform():
    left = read([
        row("丘北发布", platform="微信订阅号", type_=""),
        row("丘北公安", platform="新浪微博", type_=""),
        row("丘北头条", platform="头条号", type_=""),
        row("丘北服务", platform="微信服务号", type_=""),
    ])
    right = read([
        row("丘北发布", platform="微信"),
        row("丘北公安", platform="微博", type_=""),
        row("丘北头条", platform="今日头条", type_=""),
        row("丘北服务", platform="微信公众号", type_="订阅号"),
    ])
    assert kinds(compare(left, right)) == [
        (DifferenceKind.TYPE_DIFFERS, "丘北服务", "服务号", "订阅号"),
    ]


def test_an_account_is_the_same_by_its_id_even_when_renamed():
    left = read([row("丘北发布", account_id="gh_qiubei"), row("丘北教育")])
    right = read([
        row("丘北县人民政府发布", account_id="gh_qiubei"),
        row("丘北教育", account_id="gh_edu"),  # no ID on the left: the name decides
    ])
    assert compare(left, right) == []


def test_the_same_name_under_two_ids_is_two_accounts_and_says_so():
    left = read([row("丘北发布", account_id="gh_qiubei", status="")])
    right = read([row("丘北发布", account_id="gh_other", status="注销")])
    differences = compare(left, right, left_label="全国系统", right_label="省级平台")
    assert kinds(differences) == [
        (DifferenceKind.ONLY_LEFT, "丘北发布", "有", "无"),
        (DifferenceKind.ONLY_RIGHT, "丘北发布", "无", "有（注销）"),
    ]
    assert [d.description for d in differences] == [
        "全国系统中有，省级平台中没有（省级平台中的同名账号账号ID为“gh_other”，与本账号ID“gh_qiubei”不同）",
        "省级平台中有，全国系统中没有（省级平台中为“注销”；全国系统中的同名账号账号ID为“gh_qiubei”，"
        "与本账号ID“gh_other”不同）",
    ]


def test_a_directory_account_under_another_id_is_not_matched(demo, region):
    published = Account.objects.get(name="丘北发布", platform="wechat")
    published.account_id = "gh_qiubei"
    published.save()
    reconciliation = record(
        name="核查", region=region("丘北县"), left_label="全国系统", left_file="全国.xlsx",
        left=read([row("丘北发布", account_id="gh_other")]), right_label="本门户名录",
        right_file="", right=directory_entries(region("丘北县")),
    )
    listed = reconciliation.differences.get(kind=DifferenceKind.ONLY_LEFT)
    assert listed.name == "丘北发布" and listed.matched_account is None
    assert reconciliation.differences.get(
        kind=DifferenceKind.ONLY_RIGHT, name="丘北发布", platform="wechat").matched_account == published


def test_the_same_name_on_another_platform_is_another_account():
    left = read([row("丘北发布", platform="微信公众号")])
    right = read([row("丘北发布", platform="抖音", type_="")])
    assert [d.kind for d in compare(left, right)] == [DifferenceKind.ONLY_LEFT,
                                                      DifferenceKind.ONLY_RIGHT]


def test_a_value_one_list_leaves_empty_is_not_compared():
    left = read([row("丘北发布", type_="", unit="", status="")])
    right = read([row("丘北发布", type_="服务号", unit="别的单位", status="注销")])
    assert compare(left, right) == []
    assert compare([Entry("wechat", "丘北发布")], [Entry("wechat", "丘北发布", status="running")]) == []


# Reading a list: every problem, named by sheet, row and column ------------------------------

def test_every_problem_of_a_list_is_named_at_once():
    assert problems_of([
        row("丘北发布"),
        row("", platform="飞信"),
        row("丘北教育", status="停用"),
        row("丘北应急", account_id="gh_1"),
        row("丘北林草", account_id="gh_1"),
        row("丘北发布"),
    ]) == [
        "工作表“账号”，第3行，“账号名称”列：必填，不能为空",
        "工作表“账号”，第3行，“平台”列：未知平台“飞信”，应为：微信公众号、微博、抖音、今日头条、"
        "快手、小程序、客户端、其他（也可写 微信、新浪微博、头条号 等常用名称）",
        "工作表“账号”，第4行，“运行状态”列：“停用”不是可用的值，应为：运行、关停、注销、正常",
        "工作表“账号”，第6行，“账号ID”列：“gh_1”与第5行重复",
        "工作表“账号”，第7行，“账号名称”列：“丘北发布”与第2行重复",
    ]


@pytest.mark.parametrize(("header", "sheet", "expected"), [
    (HEADER, "Sheet1", "工作簿中没有“账号”工作表（现有：Sheet1）。"),
    ([*HEADER, "备注"], "账号", "工作表“账号”，第1行：无法识别的列：备注。可用的列："
                                "账号名称、平台、账号类型、账号ID、主办单位、所属地区、运行状态"),
    (["账号名称", "账号类型"], "账号", "工作表“账号”，第1行：缺少必填列：平台"),
    (["账号名称", "平台", "平台"], "账号", "工作表“账号”，第1行，“平台”列：表头重复"),
], ids=["missing sheet", "unknown column", "missing column", "repeated header"])
def test_a_wrong_layout_is_named(header, sheet, expected):
    assert problems_of([], header=header, sheet=sheet) == [expected]


def test_an_empty_sheet_is_named():
    with pytest.raises(ImportFailed) as failure:
        read_registry(io.BytesIO(workbook_bytes({"账号": []})))
    assert [str(p) for p in failure.value.problems] == ["工作表“账号”，第1行：工作表是空的，第1行应为表头"]


def test_a_file_that_is_not_a_workbook_or_too_large_is_refused(settings):
    with pytest.raises(ImportFailed) as failure:
        read_registry(io.BytesIO(b"not a workbook"))
    assert "不是有效的 Excel 工作簿" in str(failure.value)
    settings.IMPORT_MAX_BYTES = 1024
    with pytest.raises(ImportFailed) as failure:
        read_registry(io.BytesIO(b""), size=4096)
    assert "文件过大" in str(failure.value)


def test_the_template_is_read_without_problems():
    entries = read_registry(io.BytesIO(template()))
    assert entries == [Entry("wechat", "丘北发布", "gh_0123456789ab", "订阅号",
                             "丘北县人民政府办公室", "丘北县", "running", row=2)]


# Against the directory, and recording -------------------------------------------------------

def test_the_directory_is_one_side(demo, region):
    qiubei = directory_entries(region("丘北县"))
    assert {e.region for e in qiubei} == {"丘北县"}
    assert ("wechat", "丘北发布", "订阅号", "丘北县人民政府办公室", "running") in {
        (e.platform, e.name, e.account_type, e.unit, e.status) for e in qiubei
    }
    national = read([row("丘北发布", type_="服务号"), row("丘北新号", platform="抖音", type_="")])
    national += [e for e in qiubei
                 if (e.platform, e.name) not in {("wechat", "丘北发布"), ("douyin", "丘北融媒")}]
    differences = compare(national, qiubei, left_label="全国系统", right_label="本门户名录")
    assert kinds(differences) == [
        (DifferenceKind.TYPE_DIFFERS, "丘北发布", "服务号", "订阅号"),
        (DifferenceKind.ONLY_LEFT, "丘北新号", "有（运行）", "无"),
        (DifferenceKind.ONLY_RIGHT, "丘北融媒", "无", "有（运行）"),
    ]


def test_a_recorded_difference_knows_its_account_unit_and_region(demo, region, office_admin):
    national = read([
        row("丘北发布", type_="服务号"),
        row("丘北新号", platform="抖音", type_="", unit="丘北县教育体育局"),
        row("外地号", region="火星区", unit="火星办"),
    ])
    reconciliation = record(
        name="核查", region=region("丘北县"), left_label="全国系统", left_file="全国.xlsx",
        left=national, right_label="本门户名录", right_file="",
        right=directory_entries(region("丘北县")), user=office_admin,
    )
    assert reconciliation.left_count == 3 and reconciliation.against_directory
    diffs = {d.name: d for d in reconciliation.differences.select_related("unit", "region")}
    typed = diffs["丘北发布"]
    assert typed.matched_account == Account.objects.get(name="丘北发布", platform="wechat")
    assert typed.unit.name == "丘北县人民政府办公室" and typed.can_become_task
    new = diffs["丘北新号"]
    assert new.matched_account is None and new.unit.name == "丘北县教育体育局"
    assert new.region.name == "丘北县" and not new.can_become_task
    stranger = diffs["外地号"]
    assert stranger.region == region("丘北县") and stranger.unit is None
    assert stranger.unit_name == "火星办"
    # Accounts of the directory nobody listed are differences too, each with its account.
    only_directory = reconciliation.differences.filter(kind=DifferenceKind.ONLY_RIGHT)
    assert only_directory.count() == Account.objects.within(region("丘北县")).count() - 1
    assert not only_directory.filter(matched_account=None).exists()


def test_an_account_of_another_region_is_not_matched(demo, region):
    xichou_only = read([row("西畴发布", region="西畴县", unit="西畴县人民政府办公室")])
    reconciliation = record(
        name="核查", region=region("丘北县"), left_label="全国系统", left_file="a.xlsx",
        left=xichou_only, right_label="省级平台", right_file="b.xlsx", right=[],
    )
    difference = reconciliation.differences.get()
    assert difference.matched_account is None and difference.region == region("丘北县")


# Differences become tasks ------------------------------------------------------------------

def recorded(region, left_rows, right_rows=None, *, name="2024年核查", left_label="全国系统",
             right_label="省级平台", user=None):
    """A reconciliation of uploaded lists, kept as the upload page keeps them; `right_rows`
    None compares the left list with the directory of `region`."""
    uploads = {"left": workbook_file({"账号": [HEADER, *left_rows]}, "全国.xlsx")}
    if right_rows is not None:
        uploads["right"] = workbook_file({"账号": [HEADER, *right_rows]}, "省级.xlsx")
    lists = {side: read_registry(upload) for side, upload in uploads.items()}
    return record(
        name=name, region=region, left_label=left_label, left_file="全国.xlsx",
        left=lists["left"], right_label=right_label if right_rows is not None else "本门户名录",
        right_file="省级.xlsx" if right_rows is not None else "",
        right=lists["right"] if right_rows is not None else directory_entries(region),
        user=user, uploads=uploads,
    )


@pytest.fixture
def qiubei_reconciliation(demo, region):
    return recorded(region("丘北县"), [
        row("丘北发布", type_="服务号"),
        row("丘北教育", platform="微信", status="注销"),
        row("丘北新号", platform="抖音", type_=""),
    ], [
        row("丘北发布", type_="订阅号"),
        row("丘北教育", platform="微信", status="运行"),
    ])


def test_differences_become_campaign_items_and_tasks_once(qiubei_reconciliation):
    reconciliation = qiubei_reconciliation
    today = timezone.localdate()
    deadline = today.replace(year=today.year + 1)
    outcome = open_tasks(reconciliation, reconciliation.differences.all(), deadline=deadline)
    assert (outcome.opened, outcome.already, outcome.unmatched) == (2, 0, 1)
    campaign = Campaign.objects.get()
    assert campaign.name == campaign_name(today) and campaign.region == reconciliation.region
    items = CampaignItem.objects.filter(campaign=campaign).select_related("account", "unit")
    assert sorted((i.account.name, i.unit.name, i.result) for i in items) == [
        ("丘北发布", "丘北县人民政府办公室", "账号类型不一致：全国系统为“服务号”，省级平台为“订阅号”"),
        ("丘北教育", "丘北县教育体育局", "运行状态不一致：全国系统为“注销”，省级平台为“运行”"),
    ]
    tasks = RectificationTask.objects.filter(campaign_item__campaign=campaign)
    assert tasks.count() == 2 and {t.deadline for t in tasks} == {deadline}
    linked = reconciliation.differences.exclude(campaign_item=None)
    assert {d.campaign_item.account.name for d in linked} == {"丘北发布", "丘北教育"}

    again = open_tasks(reconciliation, reconciliation.differences.all(), deadline=deadline)
    assert (again.opened, again.already, again.unmatched) == (0, 2, 1)
    assert CampaignItem.objects.count() == 2 and RectificationTask.objects.count() == 2
    assert "2 条此前已下发" in again.summary() and "无法下发" in again.summary()


def test_a_second_reconciliation_reuses_the_campaign_and_its_items(qiubei_reconciliation, region):
    deadline = timezone.localdate()
    open_tasks(qiubei_reconciliation, qiubei_reconciliation.differences.all(), deadline=deadline)
    repeat = record(
        name="复核", region=region("丘北县"), left_label="全国系统", left_file="全国.xlsx",
        left=read([row("丘北发布", type_="服务号")]), right_label="省级平台",
        right_file="省级.xlsx", right=read([row("丘北发布", type_="订阅号")]),
    )
    outcome = open_tasks(repeat, repeat.differences.all(), deadline=deadline)
    assert outcome.opened == 1
    assert Campaign.objects.count() == 1 and CampaignItem.objects.count() == 2
    assert repeat.differences.get().campaign_item == qiubei_reconciliation.differences.get(
        name="丘北发布").campaign_item


# Accounts only a list knows are registered in the directory ----------------------------------

def only_in_list(reconciliation):
    return reconciliation.differences.filter(matched_account=None)


def test_an_account_only_the_national_system_lists_is_registered_filed(region, office_admin):
    reconciliation = recorded(region("丘北县"), [
        row("丘北新号", platform="抖音", type_="", account_id="dy_qiubei", status="正常"),
        row("丘北水务", type_="服务号", unit="丘北县水务局"),
    ], left_label="全国政务新媒体信息报送系统")
    outcome = register_accounts(reconciliation, only_in_list(reconciliation), user=office_admin)
    assert (outcome.added, outcome.found, outcome.already, outcome.units_created) == (2, 0, 0, 1)
    assert outcome.summary() == "已按名单将 2 个账号登记到名录；新增主办单位 1 个"
    new = Account.objects.get(name="丘北新号")
    assert (new.platform, new.account_id, new.account_type, new.unit.name, new.unit.region.name,
            new.filing, new.status) == ("douyin", "dy_qiubei", "", "丘北县人民政府办公室",
                                        "丘北县", "filed", "running")
    water = Account.objects.get(name="丘北水务")
    assert (water.account_type, water.unit.name, water.unit.region.name) == (
        "服务号", "丘北县水务局", "丘北县")
    assert new.history.get().history_user == office_admin
    differences = reconciliation.differences.filter(name__in=["丘北新号", "丘北水务"])
    assert {(d.matched_account, d.unit) for d in differences} == {
        (new, new.unit), (water, water.unit)}
    assert all(d.can_become_task for d in differences)
    opened = open_tasks(reconciliation, differences, deadline=timezone.localdate())
    assert (opened.opened, opened.unmatched) == (2, 0)
    assert RectificationTask.objects.filter(unit=water.unit).count() == 1


def test_registering_again_changes_nothing(region, office_admin):
    reconciliation = recorded(region("丘北县"), [row("丘北新号", platform="抖音", type_="")])
    chosen = list(only_in_list(reconciliation))
    register_accounts(reconciliation, chosen, user=office_admin)
    again = register_accounts(reconciliation, reconciliation.differences.filter(pk=chosen[0].pk),
                              user=office_admin)
    assert (again.added, again.found, again.already) == (0, 0, 1)
    assert Account.objects.filter(name="丘北新号").count() == 1


def test_an_account_another_list_holds_is_registered_unfiled_with_its_status(region, office_admin):
    reconciliation = recorded(region("丘北县"), [row("丘北僵尸号", status="运行")],
                              [row("丘北旧号", platform="微博", type_="", status="关停")])
    register_accounts(reconciliation, only_in_list(reconciliation), user=office_admin)
    zombie, old = Account.objects.get(name="丘北僵尸号"), Account.objects.get(name="丘北旧号")
    assert (zombie.filing, zombie.status, zombie.closed_on) == ("filed", "running", None)
    assert (old.filing, old.status, old.closed_on) == ("unfiled", "suspended",
                                                       timezone.localdate())


def test_an_account_both_lists_hold_takes_the_national_row_and_matches_each_difference(
        region, office_admin):
    reconciliation = recorded(region("丘北县"), [
        row("丘北测绘", type_="服务号", unit="丘北县林业和草原局", status="关停"),
    ], [
        row("丘北测绘", type_="订阅号", unit="丘北县自然资源局", status="运行"),
    ], left_label="省级平台", right_label="全国系统")
    differences = only_in_list(reconciliation)
    assert differences.count() == 3
    register_accounts(reconciliation, differences[:1], user=office_admin)
    account = Account.objects.get(name="丘北测绘")
    assert (account.account_type, account.unit.name, account.filing, account.status) == (
        "订阅号", "丘北县自然资源局", "filed", "running")
    assert not only_in_list(reconciliation).exists()


def test_a_row_without_unit_or_region_needs_a_chosen_unit(region, office_admin):
    reconciliation = recorded(region("丘北县"), [
        row("丘北无单位", unit=""),
        row("丘北无地区", region=""),
    ])
    with pytest.raises(ImportFailed) as failure:
        register_accounts(reconciliation, only_in_list(reconciliation), user=office_admin)
    assert [str(p) for p in failure.value.problems] == [
        "全国系统名单（全国.xlsx），工作表“账号”，第2行，“主办单位”列：名单未填主办单位，"
        "请在“主办单位”中选择该账号登记到哪个单位",
        "全国系统名单（全国.xlsx），工作表“账号”，第3行，“所属地区”列：名单未填所属地区，"
        "请在“主办单位”中选择该账号登记到哪个单位",
    ]
    assert not Account.objects.filter(name__startswith="丘北无").exists()
    education = Unit.objects.get(name="丘北县教育体育局")
    register_accounts(reconciliation, only_in_list(reconciliation), user=office_admin,
                      unit=education)
    assert set(Account.objects.filter(name__startswith="丘北无").values_list(
        "unit", flat=True)) == {education.pk}


def test_every_problem_of_a_batch_is_named_and_nothing_is_registered(region, make_user):
    qiubei_admin = make_user(Role.ADMIN, region=region("丘北县"))
    published = Account.objects.get(name="丘北发布", platform="wechat")
    published.account_id = "gh_qiubei"
    published.save()
    reconciliation = recorded(region("丘北县"), [
        row("丘北好号"),
        row("火星号", region="火星区", unit="火星办"),
        row("丘北发布", account_id="gh_other"),
        row("西畴号", platform="抖音", type_="", region="西畴县", unit="西畴县人民政府办公室"),
    ], [])
    with pytest.raises(ImportFailed) as failure:
        register_accounts(reconciliation, only_in_list(reconciliation), user=qiubei_admin)
    assert [str(p) for p in failure.value.problems] == [
        "全国系统名单（全国.xlsx），工作表“账号”，第3行，“所属地区”列：未知地区“火星区”",
        "全国系统名单（全国.xlsx），工作表“账号”，第5行，“所属地区”列：未知地区“西畴县”",
    ]
    wenshan_admin = make_user(Role.ADMIN, region=region("文山州"))
    with pytest.raises(ImportFailed) as failure:
        register_accounts(reconciliation, only_in_list(reconciliation).exclude(name="火星号"),
                          user=wenshan_admin)
    assert [str(p) for p in failure.value.problems] == [
        "全国系统名单（全国.xlsx），工作表“账号”，第4行，“账号ID”列：名录中的同名账号账号ID为"
        "“gh_qiubei”，与名单不同，请核实后修改名录或名单",
        "全国系统名单（全国.xlsx），工作表“账号”，第5行，“所属地区”列：该账号不在本次核查的地区"
        "（丘北县）内",
    ]
    assert not Account.objects.filter(name__in=["丘北好号", "西畴号"]).exists()
    assert not Unit.objects.filter(name="火星办").exists()


def test_an_account_registered_since_is_matched_not_added(region, office_admin):
    reconciliation = recorded(region("丘北县"), [row("丘北新号", platform="抖音", type_="")])
    meanwhile = Account.objects.create(name="丘北新号", platform="douyin",
                                       unit=Unit.objects.get(name="丘北县教育体育局"))
    outcome = register_accounts(reconciliation, only_in_list(reconciliation), user=office_admin)
    assert (outcome.added, outcome.found) == (0, 1)
    assert reconciliation.differences.get(name="丘北新号").unit.name == "丘北县教育体育局"
    assert Account.objects.get(pk=meanwhile.pk).unit.name == "丘北县教育体育局"


def test_without_the_kept_list_there_is_no_row_to_register(region, office_admin):
    reconciliation = record(
        name="核查", region=region("丘北县"), left_label="全国系统", left_file="全国.xlsx",
        left=read([row("丘北新号", platform="抖音", type_="")]), right_label="省级平台",
        right_file="省级.xlsx", right=[],
    )
    with pytest.raises(ImportFailed) as failure:
        register_accounts(reconciliation, only_in_list(reconciliation), user=office_admin)
    assert [str(p) for p in failure.value.problems] == [
        "“丘北新号”（抖音）：本次核查未保存列有该账号的名单，无法按名单登记，请在名录中直接登记"
    ]


@pytest.mark.parametrize(("label", "national"), [
    ("全国政务新媒体信息报送系统", True), ("全国系统", True), ("省级平台", False),
    ("本门户名录", False),
])
def test_the_national_system_is_known_by_its_label(label, national):
    assert is_national_system(label) is national


# Pages ---------------------------------------------------------------------------------------

def with_perms(user, *names):
    for name in names:
        app, codename = name.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app,
                                                         codename=codename))
    return user


@pytest.fixture
def reconciler(demo, make_user, region):
    """An admin of 文山州 who may run reconciliations (and, as an admin, open campaigns)."""
    return with_perms(make_user(Role.ADMIN, region=region("文山州")), *PERMS)


def test_a_list_compared_with_the_directory_through_the_page(client, reconciler, region):
    client.force_login(reconciler)
    url = reverse("newmedia:reconciliation_add")
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "name": "丘北县核查", "region": region("丘北县").pk, "left_label": "全国政务新媒体信息报送系统",
        "right_label": "省级平台",
        "left_file": workbook_file({"账号": [HEADER, row("丘北发布", type_="服务号")]}, "全国.xlsx"),
    })
    reconciliation = Reconciliation.objects.get()
    assert response.status_code == 302 and response["Location"] == reconciliation.get_absolute_url()
    assert reconciliation.right_label == "本门户名录" and reconciliation.created_by == reconciler
    page = client.get(reconciliation.get_absolute_url()).content.decode()
    assert "账号类型不一致：全国政务新媒体信息报送系统为“服务号”，本门户名录为“订阅号”" in page
    assert "仅本门户名录有" in page and 'name="differences"' in page
    page = client.get(reconciliation.get_absolute_url(), {"kind": "type_differs"}).content.decode()
    assert "共 1 条" in page
    export = client.get(reconciliation.get_absolute_url(), {"export": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("差异类型,平台,账号名称,账号ID,所属地区,主办单位,"
                                           "全国政务新媒体信息报送系统,本门户名录,差异说明")
    assert "选择" not in text.splitlines()[0]


def test_two_uploaded_lists_are_compared_with_each_other(client, reconciler, region):
    client.force_login(reconciler)
    client.post(reverse("newmedia:reconciliation_add"), {
        "name": "两份名单", "region": region("丘北县").pk, "left_label": "全国系统",
        "right_label": "省级平台",
        "left_file": workbook_file({"账号": [HEADER, row("丘北发布")]}, "全国.xlsx"),
        "right_file": workbook_file({"账号": [HEADER, row("丘北发布", status="注销")]}, "省级.xlsx"),
    })
    reconciliation = Reconciliation.objects.get()
    assert (reconciliation.right_label, reconciliation.right_file) == ("省级平台", "省级.xlsx")
    assert list(reconciliation.differences.values_list("kind", flat=True)) == ["status_differs"]


def test_a_bad_list_is_explained_per_file_and_nothing_is_kept(client, reconciler, region):
    client.force_login(reconciler)
    response = client.post(reverse("newmedia:reconciliation_add"), {
        "name": "核查", "region": region("丘北县").pk, "left_label": "全国系统",
        "right_label": "省级平台",
        "left_file": workbook_file({"账号": [HEADER, row("丘北发布", platform="飞信")]}, "全国.xlsx"),
        "right_file": workbook_file({"名单": [HEADER]}, "省级.xlsx"),
    })
    page = response.content.decode()
    assert response.status_code == 200 and not Reconciliation.objects.exists()
    assert "“全国.xlsx”：发现 1 个问题" in page and "未知平台“飞信”" in page
    assert "“省级.xlsx”：发现 1 个问题" in page and "工作簿中没有“账号”工作表" in page


def test_the_template_downloads(client, reconciler):
    client.force_login(reconciler)
    response = client.get(reverse("newmedia:reconciliation_add") + "?template")
    assert response.status_code == 200
    assert read_registry(io.BytesIO(response.content))[0].name == "丘北发布"


def test_selected_differences_become_tasks_through_the_page(client, reconciler,
                                                           qiubei_reconciliation):
    client.force_login(reconciler)
    chosen = list(qiubei_reconciliation.differences.values_list("pk", flat=True))
    url = reverse("newmedia:reconciliation_tasks", args=[qiubei_reconciliation.pk])
    response = client.post(url, {"differences": chosen, "deadline": "2030-06-30"}, follow=True)
    page = response.content.decode()
    assert "已将 2 条差异列入" in page and "1 条在名录中没有对应账号" in page
    assert RectificationTask.objects.filter(deadline="2030-06-30").count() == 2
    client.post(url, {"differences": chosen, "deadline": "2030-06-30"})
    assert RectificationTask.objects.count() == 2


def test_an_account_only_the_list_holds_is_registered_through_the_page(client, reconciler,
                                                                       region):
    client.force_login(reconciler)
    client.post(reverse("newmedia:reconciliation_add"), {
        "name": "丘北县核查", "region": region("丘北县").pk,
        "left_label": "全国政务新媒体信息报送系统", "right_label": "",
        "left_file": workbook_file({"账号": [HEADER, row("丘北新号", platform="抖音", type_=""),
                                             row("丘北无单位", unit="")]}, "全国.xlsx"),
    })
    reconciliation = Reconciliation.objects.get()
    new, unitless = (reconciliation.differences.get(name=n) for n in ("丘北新号", "丘北无单位"))
    page = client.get(reconciliation.get_absolute_url()).content.decode()
    assert f'name="differences" value="{new.pk}"' in page and "登记到名录" in page
    assert '<select name="unit"' in page and "丘北县教育体育局（丘北县）" in page
    assert "西畴县人民政府办公室" not in page
    url = reverse("newmedia:reconciliation_register", args=[reconciliation.pk])
    page = client.post(url, {"differences": [new.pk, unitless.pk]}, follow=True).content.decode()
    assert "发现 1 个问题，未登记任何账号" in page and "第3行，“主办单位”列：名单未填主办单位" in page
    assert not Account.objects.filter(name="丘北新号").exists()
    education = Unit.objects.get(name="丘北县教育体育局")
    page = client.post(url, {"differences": [new.pk, unitless.pk], "unit": education.pk},
                       follow=True).content.decode()
    assert "已按名单将 2 个账号登记到名录" in page
    assert Account.objects.get(name="丘北新号").filing == "filed"
    assert Account.objects.get(name="丘北无单位").unit == education
    tasks = reverse("newmedia:reconciliation_tasks", args=[reconciliation.pk])
    client.post(tasks, {"differences": [new.pk, unitless.pk], "deadline": "2030-06-30"})
    assert RectificationTask.objects.filter(campaign_item__account__name__in=[
        "丘北新号", "丘北无单位"]).count() == 2


def test_a_unit_outside_the_reconciliation_cannot_be_chosen(client, reconciler, region,
                                                           qiubei_reconciliation):
    client.force_login(reconciler)
    new = qiubei_reconciliation.differences.get(name="丘北新号")
    url = reverse("newmedia:reconciliation_register", args=[qiubei_reconciliation.pk])
    xichou = Unit.objects.get(name="西畴县人民政府办公室")
    page = client.post(url, {"differences": [new.pk], "unit": xichou.pk},
                       follow=True).content.decode()
    assert "选择一个有效的选项" in page and not Account.objects.filter(name="丘北新号").exists()
    page = client.post(url, {}, follow=True).content.decode()
    assert "请先勾选要登记到名录的差异。" in page


def test_only_those_who_may_open_campaigns_choose_differences(client, make_user, region,
                                                              qiubei_reconciliation):
    leader = with_perms(make_user(Role.LEADER, region=region("文山州")),
                        "newmedia.view_reconciliation")
    client.force_login(leader)
    page = client.get(qiubei_reconciliation.get_absolute_url()).content.decode()
    assert "丘北发布" in page and 'name="differences"' not in page and 'id="tasks-form"' not in page
    url = reverse("newmedia:reconciliation_tasks", args=[qiubei_reconciliation.pk])
    assert client.post(url, {"differences": [1], "deadline": "2030-06-30"}).status_code == 403
    assert client.get(reverse("newmedia:reconciliation_add")).status_code == 403
    assert "登记到名录</button>" not in page
    register = reverse("newmedia:reconciliation_register", args=[qiubei_reconciliation.pk])
    assert client.post(register, {"differences": [1]}).status_code == 403
    assert not Account.objects.filter(name="丘北新号").exists()


def test_users_without_the_permission_are_refused(client, liaison, qiubei_reconciliation):
    client.force_login(liaison)
    assert client.get(reverse("newmedia:reconciliation_list")).status_code == 403
    assert client.get(qiubei_reconciliation.get_absolute_url()).status_code == 403
    register = reverse("newmedia:reconciliation_register", args=[qiubei_reconciliation.pk])
    assert client.post(register, {"differences": [1]}).status_code == 403


def test_anonymous_users_are_sent_to_login(client, qiubei_reconciliation):
    for name in ("reconciliation_register", "reconciliation_tasks"):
        url = reverse(f"newmedia:{name}", args=[qiubei_reconciliation.pk])
        response = client.post(url, {"differences": [1]})
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_another_regions_user_does_not_find_the_reconciliation(client, make_user, region,
                                                                qiubei_reconciliation):
    xichou_admin = with_perms(make_user(Role.ADMIN, region=region("西畴县")), *PERMS)
    client.force_login(xichou_admin)
    url = qiubei_reconciliation.get_absolute_url()
    assert client.get(url).status_code == 404
    assert client.get(url, {"export": "xlsx"}).status_code == 404
    assert client.get(url, {"export": "csv"}).status_code == 404
    tasks = reverse("newmedia:reconciliation_tasks", args=[qiubei_reconciliation.pk])
    assert client.post(tasks, {"differences": [1], "deadline": "2030-06-30"}).status_code == 404
    register = reverse("newmedia:reconciliation_register", args=[qiubei_reconciliation.pk])
    new = qiubei_reconciliation.differences.get(name="丘北新号")
    assert client.post(register, {"differences": [new.pk]}).status_code == 404
    assert not Account.objects.filter(name="丘北新号").exists()
    assert "2024年核查" not in client.get(reverse("newmedia:reconciliation_list")).content.decode()
    assert not RectificationTask.objects.exists()


def test_a_region_filter_outside_the_scope_is_an_error(client, make_user, region,
                                                       qiubei_reconciliation):
    qiubei_admin = with_perms(make_user(Role.ADMIN, region=region("丘北县")), *PERMS)
    client.force_login(qiubei_admin)
    url = qiubei_reconciliation.get_absolute_url()
    page = client.get(url, {"region": region("西畴县").pk}).content.decode()
    assert "筛选条件有误" in page
    assert client.get(url, {"region": region("西畴县").pk, "export": "xlsx"}).status_code == 404
    assert "丘北发布" in client.get(url).content.decode()


def test_the_list_shows_the_reconciliations_in_scope(client, reconciler, qiubei_reconciliation):
    client.force_login(reconciler)
    page = client.get(reverse("newmedia:reconciliation_list")).content.decode()
    assert "2024年核查" in page and "下载名单模板" in page


def grow(reconciliation, count: int) -> None:
    """Add differences, a quarter of them without a directory account (to be registered), the
    rest matched to the directory and half of those with tasks."""
    accounts = list(Account.objects.within(reconciliation.region).select_related("unit"))
    matched = [accounts[i % len(accounts)] if i % 4 else None for i in range(count)]
    ReconciliationDifference.objects.bulk_create(
        ReconciliationDifference(
            reconciliation=reconciliation, kind=DifferenceKind.ONLY_RIGHT, platform="wechat",
            name=f"测试{count}-{i}", description=f"差异{count}-{i}", region=reconciliation.region,
            matched_account=account, unit=account.unit if account else None,
        ) for i, account in enumerate(matched)
    )
    chosen = reconciliation.differences.filter(name__startswith=f"测试{count}-")[: count // 2]
    open_tasks(reconciliation, chosen, deadline=timezone.localdate())


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("suffix", ["", "?export=xlsx", "?export=csv", "?sort=-name&kind=only_right"])
def test_the_differences_cost_the_same_queries_however_many(client, reconciler, suffix,
                                                            qiubei_reconciliation,
                                                            django_assert_max_num_queries):
    client.force_login(reconciler)
    url = qiubei_reconciliation.get_absolute_url() + suffix
    grow(qiubei_reconciliation, 4)
    small = count_queries(client, url)
    grow(qiubei_reconciliation, 120)
    with django_assert_max_num_queries(small):
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        elif not suffix:
            assert "登记到名录</button>" in response.content.decode()
    assert small <= 14


@pytest.mark.parametrize("suffix", ["", "?export=xlsx", "?export=csv", "?q=核查&sort=-created_at"])
def test_the_list_of_reconciliations_is_bounded_too(client, reconciler, region, suffix,
                                                    django_assert_max_num_queries):
    client.force_login(reconciler)
    url = reverse("newmedia:reconciliation_list") + suffix
    make = [{"name": f"核查{i}", "region": region("丘北县"), "left_label": "甲",
             "left_file": "a.xlsx", "left": [], "right_label": "乙", "right_file": "b.xlsx",
             "right": [Entry("wechat", f"号{i}")]} for i in range(30)]
    record(**make[0])
    small = count_queries(client, url)
    for kwargs in make[1:]:
        record(**kwargs, user=reconciler)
    with django_assert_max_num_queries(small):
        response = client.get(url)
        content = (b"".join(response.streaming_content) if hasattr(response, "streaming_content")
                   else response.content)
    assert response.status_code == 200
    if suffix != "?export=xlsx":
        assert "核查29" in content.decode("utf-8-sig")
