"""The directory workbook (spec §1), through the function, the command and the upload page."""

import datetime
import html
import io
import re
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse

from common.testing import workbook_bytes, workbook_file
from common.workbook import ImportFailed
from newmedia.choices import AccountStatus, Filing
from newmedia.models import Account
from sites.directory_import import import_directory, template
from sites.models import Region, Unit, Website
from sites.roles import Role
from sites.testing import (
    ACCOUNT_HEADER,
    REGION_HEADER,
    WEBSITE_HEADER,
    big_workbook,
    full_snapshot,
    good_account,
    good_website,
)


def run(sheets, **kwargs):
    return import_directory(io.BytesIO(workbook_bytes(sheets)), **kwargs)


def problems_of(sheets, **kwargs):
    with pytest.raises(ImportFailed) as failure:
        run(sheets, **kwargs)
    return [str(p) for p in failure.value.problems]


def history_count() -> int:
    return sum(model.history.count() for model in (Region, Unit, Website, Account))


# The three ways in: the function, the management command and the upload page.

@dataclass
class Outcome:
    ok: bool
    lines: list[str]  # the summary lines on success, the problems as listed otherwise


@dataclass
class EntryPoint:
    name: str
    tmp_path: object
    client: object
    user: object

    def submit(self, data: bytes) -> Outcome:
        return getattr(self, f"_{self.name}")(data)

    def run(self, sheets: dict) -> Outcome:
        return self.submit(workbook_bytes(sheets))

    def _function(self, data: bytes) -> Outcome:
        try:
            result = import_directory(io.BytesIO(data), size=len(data))
        except ImportFailed as failure:
            return Outcome(False, [str(p) for p in failure.problems])
        return Outcome(True, result.summary_lines())

    def _command(self, data: bytes) -> Outcome:
        path = self.tmp_path / "名录.xlsx"
        path.write_bytes(data)
        stdout, stderr = io.StringIO(), io.StringIO()
        try:
            call_command("import_directory", str(path), stdout=stdout, stderr=stderr)
        except CommandError as error:
            assert error.returncode != 0  # the process exits with it
            assert "未做任何修改" in str(error)
            return Outcome(False, stderr.getvalue().splitlines())
        assert stderr.getvalue() == ""
        return Outcome(True, stdout.getvalue().splitlines())

    def _page(self, data: bytes) -> Outcome:
        self.client.force_login(self.user)
        upload = SimpleUploadedFile("名录.xlsx", data)
        page = self.client.post(reverse("sites:directory_import"), {"file": upload}, follow=True)
        assert page.status_code == 200
        text = page.content.decode()
        listed = re.search(r'<ul class="problems">(.*?)</ul>', text, re.S)
        if listed:
            return Outcome(False, [html.unescape(item) for item in
                                   re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)])
        success = re.search(r'<li class="msg-success">“名录.xlsx”导入成功。(.*?)</li>', text, re.S)
        assert success, "the page shows neither problems nor success"
        return Outcome(True, html.unescape(success.group(1)).split("；"))


ENTRY_POINTS = ["function", "command", "page"]


@pytest.fixture(params=ENTRY_POINTS)
def entry(request, demo, tmp_path, client, office_admin):
    return EntryPoint(request.param, tmp_path, client, office_admin)


# The case of the issue: one good row and three bad ones.

def test_bad_rows_are_all_named_in_order_and_nothing_changes(entry):
    before, history = full_snapshot(), history_count()
    outcome = entry.run({"政务新媒体": [
        ACCOUNT_HEADER,
        good_account("新账号甲"),
        good_account("新账号乙", platform="飞信"),
        good_account("新账号丙", **{"所属地区": "火星区"}),
        good_account("新账号丁", **{"备案状态": "备案中"}),
    ]})
    assert not outcome.ok
    assert outcome.lines == [
        "工作表“政务新媒体”，第3行，“平台”列：未知平台“飞信”，应为：微信公众号、微博、抖音、今日头条、"
        "快手、小程序、客户端、其他（也可写 微信、新浪微博、头条号 等常用名称）",
        "工作表“政务新媒体”，第4行，“所属地区”列：未知地区“火星区”",
        "工作表“政务新媒体”，第5行，“备案状态”列：“备案中”不是可用的值，应为：已备案、未备案",
    ]
    assert full_snapshot() == before and history_count() == history


def test_problems_are_listed_by_sheet_row_and_column(demo):
    found = problems_of({
        "政务新媒体": [ACCOUNT_HEADER, good_account("甲", platform="飞信", **{"运行状态": "暂停"})],
        "政府网站": [WEBSITE_HEADER, good_website("1", **{"网站类型": "政务网站"}),
                     good_website("2", **{"所属地区": "火星区"})],
        "地区": [REGION_HEADER, ["新区", "火星", ""]],
    })
    assert [p.split("：")[0] for p in found] == [
        "工作表“地区”，第2行，“上级地区”列",
        "工作表“政府网站”，第2行，“网站标识码”列",
        "工作表“政府网站”，第2行，“网站类型”列",
        "工作表“政府网站”，第3行，“网站标识码”列",
        "工作表“政府网站”，第3行，“所属地区”列",
        "工作表“政务新媒体”，第2行，“平台”列",
        "工作表“政务新媒体”，第2行，“运行状态”列",
    ]


# Every error class, through every entry point.

@pytest.mark.parametrize(("sheets", "expected"), [
    ({"政府网站": [[*WEBSITE_HEADER, "负责人"], ["5326260009"] + [""] * 7]},
     "工作表“政府网站”，第1行：无法识别的列：负责人。可用的列：网站标识码、网站名称、首页网址、"
     "主办单位、所属地区、网站类型、运行状态"),
    ({"政府网站": [["网站标识码", "网站名称"], ["5326260009", "某网站"]]},
     "工作表“政府网站”，第1行：缺少必填列：首页网址、主办单位、所属地区、网站类型"),
    ({"政府网站": [[*WEBSITE_HEADER, "网站名称"], [*good_website(), "又一个名称"]]},
     "工作表“政府网站”，第1行，“网站名称”列：表头重复"),
    ({"政府网站": [WEBSITE_HEADER, good_website(**{"网站名称": ""})]},
     "工作表“政府网站”，第2行，“网站名称”列：必填，不能为空"),
    ({"政府网站": [WEBSITE_HEADER, good_website("532626009")]},
     "工作表“政府网站”，第2行，“网站标识码”列：“532626009”不是有效的网站标识码（10位数字，或“bm”加8位数字）"),
    ({"政府网站": [WEBSITE_HEADER, good_website(**{"网站类型": "政务网站"})]},
     "工作表“政府网站”，第2行，“网站类型”列：“政务网站”不是可用的值，应为：门户网站、部门网站"),
    ({"政府网站": [WEBSITE_HEADER, good_website(**{"运行状态": "停用"})]},
     "工作表“政府网站”，第2行，“运行状态”列：“停用”不是可用的值，应为：运行、关停"),
    ({"政府网站": [WEBSITE_HEADER, good_website(**{"首页网址": "not a url"})]},
     "工作表“政府网站”，第2行，“首页网址”列：“not a url”不是有效的网址"),
    ({"政府网站": [WEBSITE_HEADER, good_website(**{"所属地区": "火星区"})]},
     "工作表“政府网站”，第2行，“所属地区”列：未知地区“火星区”"),
    ({"政府网站": [WEBSITE_HEADER, good_website(**{"网站名称": "甲"}),
                  good_website(**{"网站名称": "乙"})]},
     "工作表“政府网站”，第3行，“网站标识码”列：“5326260009”与第2行重复"),
    ({"政务新媒体": [ACCOUNT_HEADER, good_account(platform="飞信")]},
     "工作表“政务新媒体”，第2行，“平台”列：未知平台“飞信”，应为：微信公众号、微博、抖音、今日头条、"
     "快手、小程序、客户端、其他（也可写 微信、新浪微博、头条号 等常用名称）"),
    ({"政务新媒体": [ACCOUNT_HEADER, good_account(**{"备案状态": "备案中"})]},
     "工作表“政务新媒体”，第2行，“备案状态”列：“备案中”不是可用的值，应为：已备案、未备案"),
    ({"政务新媒体": [ACCOUNT_HEADER, good_account("甲"), good_account("甲")]},
     "工作表“政务新媒体”，第3行，“账号名称”列：“甲”与第2行重复"),
    ({"政务新媒体": [ACCOUNT_HEADER, good_account("甲", **{"账号ID": "gh_1"}),
                    good_account("乙", **{"账号ID": "gh_1"})]},
     "工作表“政务新媒体”，第3行，“账号ID”列：“gh_1”与第2行重复"),
    ({"政务新媒体": [ACCOUNT_HEADER, good_account("甲", **{"运行状态": "暂停"})]},
     "工作表“政务新媒体”，第2行，“运行状态”列：“暂停”不是可用的值，应为：运行、关停、注销"),
    ({"政务新媒体": [ACCOUNT_HEADER, good_account(**{"主办单位": ""})]},
     "工作表“政务新媒体”，第2行，“主办单位”列：必填，不能为空"),
    ({"地区": [REGION_HEADER, ["八宝镇", "广南", ""]]},
     "工作表“地区”，第2行，“上级地区”列：未知地区“广南”"),
    ({"地区": [REGION_HEADER, ["八宝镇", "广南县", ""]]},
     "工作表“地区”，第2行，“上级地区”列：“广南县”是县级地区，其下不能再设地区"),
    ({"地区": [REGION_HEADER, ["新区", "文山州", "53262"]]},
     "工作表“地区”，第2行，“区划代码”列：“53262”不是6位数字的区划代码"),
    ({"地区": [REGION_HEADER, ["新区", "文山州", "532626"]]},
     "工作表“地区”，第2行，“区划代码”列：区划代码“532626”已被其他地区使用"),
    ({"地区": [REGION_HEADER, ["新区", "文山州", ""], ["新区", "文山州", ""]]},
     "工作表“地区”，第3行，“地区名称”列：地区“新区”在本表中重复"),
    ({"地区": [REGION_HEADER, ["红河州", "", ""]]},
     "工作表“地区”，第2行，“上级地区”列：已有顶级地区，请填写上级地区"),
    ({"名单": [["网站名称"]]},
     "工作簿中没有“地区”“政府网站”“政务新媒体”中的任何一个工作表。"),
    ({"政府网站": []}, "工作表“政府网站”，第1行：工作表是空的，第1行应为表头"),
])
def test_each_error_class_is_named_in_chinese_and_changes_nothing(entry, sheets, expected):
    before, history = full_snapshot(), history_count()
    outcome = entry.run(sheets)
    assert not outcome.ok
    assert expected in outcome.lines
    assert full_snapshot() == before and history_count() == history


def test_a_file_that_is_not_a_workbook_is_refused(entry):
    before = full_snapshot()
    outcome = entry.submit(b"MZ\x90\x00 this is an executable")
    assert outcome.lines == [
        "文件不是有效的 Excel 工作簿（.xlsx）。旧版 .xls 或 WPS 文件请先另存为 .xlsx 再导入。"
    ]
    assert full_snapshot() == before


def test_a_file_over_the_limit_is_refused_before_it_is_read(entry, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    before = full_snapshot()
    # A good workbook padded past the limit: its content must not matter.
    data = workbook_bytes({"政务新媒体": [ACCOUNT_HEADER, good_account("新账号甲")]})
    outcome = entry.submit(data + b"\0" * (3 * 1024 * 1024 - len(data)))
    assert not outcome.ok
    assert outcome.lines == ["文件过大（3.0 MB），上限为 1 MB。请删除多余的工作表或分批导入。"]
    assert full_snapshot() == before


def test_reimporting_changes_nothing_and_changes_are_counted(entry):
    sheets = {
        "政府网站": [WEBSITE_HEADER, good_website(**{"主办单位": "丘北县档案馆"})],
        "政务新媒体": [ACCOUNT_HEADER, good_account("甲"), good_account("乙")],
    }
    first = entry.run(sheets)
    assert first == Outcome(True, [
        "政府网站：新增 1，更新 0，未变 0", "政务新媒体：新增 2，更新 0，未变 0", "主办单位：新增 1",
    ])
    state, history = full_snapshot(), history_count()
    second = entry.run(sheets)
    assert second == Outcome(True, ["政府网站：新增 0，更新 0，未变 1", "政务新媒体：新增 0，更新 0，未变 2"])
    assert full_snapshot() == state and history_count() == history
    sheets["政府网站"][1][6] = "关停"
    third = entry.run(sheets)
    assert third.lines[0] == "政府网站：新增 0，更新 1，未变 0"
    site = Website.objects.get(site_code="5326260009")
    assert site.status == "closed" and site.closed_on is not None


# Rows already registered outside the admin's scope.

@pytest.fixture
def xichou_admin(make_user, region):
    return make_user(Role.ADMIN, region=region("西畴县"))


def test_a_website_registered_outside_the_admins_scope_is_refused(demo, client, xichou_admin):
    qiubei = Website.objects.get(name="丘北县人民政府")
    sheets = {"政府网站": [WEBSITE_HEADER, good_website(
        qiubei.site_code, **{"所属地区": "西畴县", "主办单位": "西畴县人民政府办公室"})]}
    expected = (f"工作表“政府网站”，第2行，“网站标识码”列：网站标识码“{qiubei.site_code}”"
                "已登记在您管理范围以外的单位")
    before = full_snapshot()
    assert problems_of(sheets, user=xichou_admin) == [expected]
    page = EntryPoint("page", None, client, xichou_admin).run(sheets)
    assert page == Outcome(False, [expected])
    assert full_snapshot() == before


def test_an_account_registered_outside_the_admins_scope_is_refused(demo, client, xichou_admin):
    qiubei = Account.objects.filter(unit__region__name="丘北县").first()
    sheets = {"政务新媒体": [ACCOUNT_HEADER, good_account(
        qiubei.name, qiubei.get_platform_display(),
        **{"所属地区": "西畴县", "主办单位": "西畴县人民政府办公室"})]}
    expected = "工作表“政务新媒体”，第2行，“账号名称”列：该账号已登记在您管理范围以外的单位"
    before = full_snapshot()
    assert problems_of(sheets, user=xichou_admin) == [expected]
    page = EntryPoint("page", None, client, xichou_admin).run(sheets)
    assert page == Outcome(False, [expected])
    assert full_snapshot() == before


def test_a_unit_scoped_admin_may_import_only_into_their_units(demo, make_user):
    office = Unit.objects.get(name="丘北县人民政府办公室")
    child = Unit.objects.create(name="丘北县政务服务中心", region=office.region, parent=office)
    admin = make_user(Role.ADMIN, unit=office)
    found = problems_of({"政务新媒体": [
        ACCOUNT_HEADER, good_account("甲"), good_account("乙", **{"主办单位": child.name}),
        good_account("丙", **{"主办单位": "丘北县教育体育局"}),
        good_account("丁", **{"主办单位": "丘北县新设机构"}),
    ]}, user=admin)
    assert found == [
        "工作表“政务新媒体”，第4行，“主办单位”列：“丘北县教育体育局”不是您所在的单位或其下级单位",
        "工作表“政务新媒体”，第5行，“主办单位”列：“丘北县新设机构”不是您所在的单位或其下级单位",
    ]
    result = run({"政务新媒体": [ACCOUNT_HEADER, good_account("甲"),
                                good_account("乙", **{"主办单位": child.name})]}, user=admin)
    assert result.sheets["政务新媒体"].created == 2 and result.units_created == 0


# Optional columns: a default for a new row, never an overwrite of a stored value.

@pytest.fixture
def huagai(demo):
    """华盖故里, a 西畴县 account of annex 2, with every optional field set."""
    account = Account.objects.get(name="华盖故里")
    account.account_id, account.account_type = "gh_abc", "订阅号"
    account.filing = Filing.UNFILED
    account.set_status(AccountStatus.SUSPENDED, datetime.date(2021, 6, 30))
    account.save()
    return account


def huagai_row(huagai, **changes) -> dict:
    row = dict(zip(ACCOUNT_HEADER, good_account(
        huagai.name, "微信公众号", **{"账号类型": "订阅号", "账号ID": "gh_abc", "备案状态": "未备案",
                                    "运行状态": "关停", "主办单位": huagai.unit.name,
                                    "所属地区": "西畴县"}), strict=True))
    row.update(changes)
    return row


def stored(account) -> tuple:
    account.refresh_from_db()
    return (account.account_type, account.account_id, account.filing, account.status,
            account.closed_on, account.filed_on, account.unfiled_on)


def test_a_sheet_of_required_columns_only_changes_nothing_stored(huagai):
    before, history = stored(huagai), history_count()
    row = huagai_row(huagai)
    required = ["账号名称", "平台", "主办单位", "所属地区"]
    result = run({"政务新媒体": [required, [row[h] for h in required]]})
    assert result.summary_lines() == ["政务新媒体：新增 0，更新 0，未变 1"]
    assert stored(huagai) == before and history_count() == history


@pytest.mark.parametrize("how", ["blank", "missing"])
@pytest.mark.parametrize("column", ["账号类型", "账号ID", "备案状态", "运行状态"])
def test_a_blank_or_missing_optional_account_column_keeps_the_stored_value(huagai, column, how):
    before, history = stored(huagai), history_count()
    row = huagai_row(huagai, **{column: ""})
    header = [h for h in ACCOUNT_HEADER if not (how == "missing" and h == column)]
    result = run({"政务新媒体": [header, [row[h] for h in header]]})
    assert result.summary_lines() == ["政务新媒体：新增 0，更新 0，未变 1"]
    assert stored(huagai) == before and history_count() == history


@pytest.mark.parametrize("how", ["blank", "missing"])
def test_a_blank_or_missing_website_status_keeps_a_closed_site_closed(demo, how):
    run({"政府网站": [WEBSITE_HEADER, good_website(**{"运行状态": "关停"})]},
        today=datetime.date(2021, 5, 1))
    row = dict(zip(WEBSITE_HEADER, good_website(**{"运行状态": ""}), strict=True))
    header = [h for h in WEBSITE_HEADER if not (how == "missing" and h == "运行状态")]
    result = run({"政府网站": [header, [row[h] for h in header]]})
    assert result.summary_lines() == ["政府网站：新增 0，更新 0，未变 1"]
    site = Website.objects.get(site_code="5326260009")
    assert (site.status, site.closed_on) == ("closed", datetime.date(2021, 5, 1))


def test_a_new_row_takes_the_defaults_of_spec_1(demo):
    required = ["账号名称", "平台", "主办单位", "所属地区"]
    row = dict(zip(ACCOUNT_HEADER, good_account("新账号甲"), strict=True))
    run({"政务新媒体": [required, [row[h] for h in required]],
         "政府网站": [WEBSITE_HEADER[:-1], good_website()[:-1]]})
    account = Account.objects.get(name="新账号甲")
    assert (account.filing, account.status, account.account_type, account.account_id) == (
        Filing.FILED, AccountStatus.RUNNING, "", "")
    assert account.filed_on is None and account.closed_on is None
    assert Website.objects.get(site_code="5326260009").status == "running"


def test_a_change_of_filing_is_dated_on_the_import_day(huagai):
    day = datetime.date(2022, 1, 10)
    row = huagai_row(huagai, **{"备案状态": "已备案"})
    result = run({"政务新媒体": [ACCOUNT_HEADER, list(row.values())]}, today=day)
    assert result.sheets["政务新媒体"].updated == 1
    huagai.refresh_from_db()
    assert (huagai.filing, huagai.filed_on, huagai.unfiled_on) == (Filing.FILED, day, None)
    later = datetime.date(2022, 5, 1)
    run({"政务新媒体": [ACCOUNT_HEADER, list(huagai_row(huagai).values())]}, today=later)
    huagai.refresh_from_db()
    assert (huagai.filing, huagai.filed_on, huagai.unfiled_on) == (Filing.UNFILED, day, later)


# A province-like workbook, the same through the command and through the upload page.

def test_the_same_workbook_gives_the_same_directory_through_command_and_page(
        demo, tmp_path, client, office_admin):
    data = workbook_bytes(big_workbook())
    demo_state = full_snapshot()
    with transaction.atomic():
        by_command = EntryPoint("command", tmp_path, client, office_admin).submit(data)
        command_state = full_snapshot()
        transaction.set_rollback(True)
    assert by_command.ok and full_snapshot() == demo_state
    by_page = EntryPoint("page", tmp_path, client, office_admin).submit(data)
    assert by_page == by_command
    assert full_snapshot() == command_state
    assert_big_workbook_loaded()


def assert_big_workbook_loaded():
    assert Region.objects.filter(name__in=["测试新区", "测试园区"], parent__name="文山州").count() == 2
    sites = Website.objects.filter(name__startswith="测试网站")
    assert sites.count() == 40
    assert sites.filter(status="closed").count() == len(range(1, 40, 3))
    accounts = Account.objects.filter(name__startswith="测试账号")
    assert accounts.count() == 232
    unfiled = [i for i in range(232) if (i % 3 if i % 5 else 1) == 1]
    assert accounts.filter(filing="unfiled").count() == len(unfiled)
    assert sorted(set(accounts.values_list("platform", flat=True))) == sorted(
        ["wechat", "weibo", "douyin", "toutiao", "kuaishou", "miniprogram", "app", "other"])
    assert accounts.get(name="测试账号5").account_id == "id5"
    assert accounts.get(name="测试账号8").account_type == "订阅号"  # from 微信订阅号


def test_an_ambiguous_region_name_is_an_error(demo):
    honghe = Region.objects.create(name="红河州", level="city")
    run({"地区": [REGION_HEADER, ["城关镇", "文山州", ""]]})
    Region.objects.create(name="城关镇", parent=honghe, level="county")
    found = problems_of({"政务新媒体": [ACCOUNT_HEADER, good_account(**{"所属地区": "城关镇"})]})
    assert found == ["工作表“政务新媒体”，第2行，“所属地区”列：地区名称“城关镇”不唯一"]


def test_an_account_id_and_name_that_point_at_two_accounts_is_an_error(demo):
    run({"政务新媒体": [ACCOUNT_HEADER, good_account("甲", **{"账号ID": "gh_1"}),
                       good_account("乙")]})
    found = problems_of({"政务新媒体": [ACCOUNT_HEADER, good_account("乙", **{"账号ID": "gh_1"})]})
    assert "与账号ID“gh_1”不是同一账号" in found[0]


# What a good workbook does.

def test_regions_may_name_a_parent_defined_further_down(db):
    run({"地区": [["地区名称", "上级地区", "区划代码"], ["丘北县", "文山州", "532626"],
                 ["文山州", "", "532600"]]})
    county = Region.objects.get(name="丘北县")
    assert county.parent.name == "文山州" and county.level == "county"
    assert county.parent.level == "city"


def test_platform_aliases_map_to_one_platform_and_fill_the_account_type(demo):
    run({"政务新媒体": [ACCOUNT_HEADER,
                       good_account("甲", platform="微信服务号", **{"账号类型": ""}),
                       good_account("乙", platform="新浪微博", **{"账号类型": ""}),
                       good_account("丙", platform="头条号"),
                       good_account("丁", platform="抖音短视频")]})
    got = dict(Account.objects.filter(name__in="甲乙丙丁").values_list("name", "platform"))
    assert got == {"甲": "wechat", "乙": "weibo", "丙": "toutiao", "丁": "douyin"}
    assert Account.objects.get(name="甲").account_type == "服务号"


def test_a_new_unit_is_created_in_its_rows_region(demo):
    result = run({"政府网站": [WEBSITE_HEADER, ["5326260009", "丘北县教育体育局", "www.qbjy.gov.cn",
                                               "丘北县档案馆", "丘北县", "部门网站", ""]]})
    site = Website.objects.get(site_code="5326260009")
    assert site.unit.region.name == "丘北县" and site.url == "http://www.qbjy.gov.cn"
    assert result.units_created == 1


def test_headers_in_any_order_with_spaces_and_numbers_typed_as_numbers(demo):
    run({"政府网站": [[" 网站名称 ", "网站标识码", "所属地区", "主办单位", "网站类型", "首页网址"],
                     ["某县某局", 5326260009, "丘北县", "丘北县政府办", "部门网站", "a.gov.cn"],
                     [None] * 6]})
    assert Website.objects.get(site_code="5326260009").name == "某县某局"


def test_the_template_imports_cleanly(demo):
    result = import_directory(io.BytesIO(template()))
    assert list(result.sheets) == ["地区", "政府网站", "政务新媒体"]
    assert all(c.created + c.updated + c.unchanged == 1 for c in result.sheets.values())


# The upload page.

def test_the_upload_page_offers_the_template(client, office_admin):
    client.force_login(office_admin)
    response = client.get(reverse("sites:directory_import") + "?template")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert import_directory(io.BytesIO(response.content)).sheets["地区"].unchanged == 1


def test_an_admin_cannot_import_into_a_region_outside_their_scope(demo, client, xichou_admin):
    before = full_snapshot()
    outcome = EntryPoint("page", None, client, xichou_admin).run(
        {"政务新媒体": [ACCOUNT_HEADER, good_account("新账号甲")]})
    assert outcome == Outcome(False, ["工作表“政务新媒体”，第2行，“所属地区”列：未知地区“丘北县”"])
    assert full_snapshot() == before


@pytest.mark.parametrize("username", ["liaison", "inspector", "leader"])
def test_only_admins_may_import(demo, client, django_user_model, username):
    client.force_login(django_user_model.objects.get(username=username))
    assert client.get(reverse("sites:directory_import")).status_code == 403
    upload = workbook_file({"政务新媒体": [ACCOUNT_HEADER, good_account("新账号甲")]})
    assert client.post(reverse("sites:directory_import"), {"file": upload}).status_code == 403
    assert not Account.objects.filter(name="新账号甲").exists()
