"""The directory workbook (spec §1), through the function, the command and the upload page."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from common.testing import workbook_bytes, workbook_file
from common.workbook import ImportFailed
from newmedia.models import Account
from sites.directory_import import import_directory, template
from sites.models import Region, Unit, Website

WEBSITE_HEADER = ["网站标识码", "网站名称", "首页网址", "主办单位", "所属地区", "网站类型", "运行状态"]
ACCOUNT_HEADER = ["账号名称", "平台", "账号类型", "账号ID", "主办单位", "所属地区", "备案状态", "运行状态"]


def run(sheets, **kwargs):
    return import_directory(io.BytesIO(workbook_bytes(sheets)), **kwargs)


def problems_of(sheets, **kwargs):
    with pytest.raises(ImportFailed) as failure:
        run(sheets, **kwargs)
    return [str(p) for p in failure.value.problems]


def snapshot():
    return (
        sorted(Region.objects.values_list("name", "code", "parent__name", "level")),
        sorted(Unit.objects.values_list("name", "region__name")),
        sorted(Website.objects.values_list(
            "site_code", "name", "url", "kind", "unit__name", "status", "closed_on")),
        sorted(Account.objects.values_list(
            "name", "platform", "account_type", "account_id", "unit__name", "filing", "status")),
    )


def good_account(name="丘北发布", platform="微信公众号", **changes):
    row = dict(zip(ACCOUNT_HEADER, [name, platform, "订阅号", "", "丘北县人民政府办公室", "丘北县",
                                    "已备案", "运行"], strict=True))
    row.update(changes)
    return [row[h] for h in ACCOUNT_HEADER]


# The case of the issue: one good row and three bad ones.

def test_bad_rows_are_all_named_and_nothing_changes(demo):
    before = snapshot()
    sheets = {"政务新媒体": [
        ACCOUNT_HEADER,
        good_account("新账号甲"),
        good_account("新账号乙", platform="飞信"),
        good_account("新账号丙", **{"所属地区": "火星区"}),
        good_account("新账号丁", **{"备案状态": "备案中"}),
    ]}
    found = problems_of(sheets)
    assert found == [
        "工作表“政务新媒体”，第3行，“平台”列：未知平台“飞信”，应为：微信公众号、微博、抖音、今日头条、"
        "快手、小程序、客户端、其他（也可写 微信、新浪微博、头条号 等常用名称）",
        "工作表“政务新媒体”，第5行，“备案状态”列：“备案中”不是可用的值，应为：已备案、未备案",
        "工作表“政务新媒体”，第4行，“所属地区”列：未知地区“火星区”",
    ]
    assert snapshot() == before


def test_the_command_exits_non_zero_and_lists_every_problem(demo, tmp_path, capsys):
    path = tmp_path / "名录.xlsx"
    path.write_bytes(workbook_bytes({"政务新媒体": [
        ACCOUNT_HEADER, good_account("新账号甲"), good_account("新账号乙", platform="飞信"),
        good_account("新账号丙", **{"所属地区": "火星区"}),
        good_account("新账号丁", **{"备案状态": "备案中"}),
    ]}))
    before = snapshot()
    with pytest.raises(CommandError) as error:
        call_command("import_directory", str(path))
    stderr = capsys.readouterr().err
    assert "飞信" in stderr and "火星区" in stderr and "备案中" in stderr
    assert "共 3 个问题" in str(error.value)
    assert snapshot() == before


# Every error class.

@pytest.mark.parametrize(("sheets", "expected"), [
    ({"政府网站": [[*WEBSITE_HEADER, "负责人"], ["5326260009"] + [""] * 7]},
     "工作表“政府网站”，第1行：无法识别的列：负责人。可用的列：网站标识码、网站名称、首页网址、"
     "主办单位、所属地区、网站类型、运行状态"),
    ({"政府网站": [["网站标识码", "网站名称"], ["5326260009", "某网站"]]},
     "工作表“政府网站”，第1行：缺少必填列：首页网址、主办单位、所属地区、网站类型"),
    ({"政府网站": [WEBSITE_HEADER, ["5326260009", "", "www.a.gov.cn", "丘北县政府办", "丘北县",
                                   "门户网站", ""]]},
     "工作表“政府网站”，第2行，“网站名称”列：必填，不能为空"),
    ({"政府网站": [WEBSITE_HEADER, ["532626009", "某网站", "www.a.gov.cn", "丘北县政府办",
                                   "丘北县", "门户网站", ""]]},
     "工作表“政府网站”，第2行，“网站标识码”列：“532626009”不是有效的网站标识码（10位数字，或“bm”加8位数字）"),
    ({"政府网站": [WEBSITE_HEADER, ["5326260009", "某网站", "www.a.gov.cn", "丘北县政府办",
                                   "丘北县", "政务网站", ""]]},
     "工作表“政府网站”，第2行，“网站类型”列：“政务网站”不是可用的值，应为：门户网站、部门网站"),
    ({"政府网站": [WEBSITE_HEADER, ["5326260009", "某网站", "www.a.gov.cn", "丘北县政府办",
                                   "丘北县", "门户网站", "停用"]]},
     "工作表“政府网站”，第2行，“运行状态”列：“停用”不是可用的值，应为：运行、关停"),
    ({"政府网站": [WEBSITE_HEADER, ["5326260009", "某网站", "not a url", "丘北县政府办",
                                   "丘北县", "门户网站", ""]]},
     "工作表“政府网站”，第2行，“首页网址”列：“not a url”不是有效的网址"),
    ({"政府网站": [WEBSITE_HEADER,
                  ["5326260009", "甲", "www.a.gov.cn", "丘北县政府办", "丘北县", "门户网站", ""],
                  ["5326260009", "乙", "www.b.gov.cn", "丘北县政府办", "丘北县", "门户网站", ""]]},
     "工作表“政府网站”，第3行，“网站标识码”列：“5326260009”与第2行重复"),
    ({"政务新媒体": [ACCOUNT_HEADER, good_account("甲"), good_account("甲")]},
     "工作表“政务新媒体”，第3行，“账号名称”列：“甲”与第2行重复"),
    ({"政务新媒体": [ACCOUNT_HEADER, good_account("甲", **{"账号ID": "gh_1"}),
                    good_account("乙", **{"账号ID": "gh_1"})]},
     "工作表“政务新媒体”，第3行，“账号ID”列：“gh_1”与第2行重复"),
    ({"政务新媒体": [ACCOUNT_HEADER, good_account("甲", **{"运行状态": "暂停"})]},
     "工作表“政务新媒体”，第2行，“运行状态”列：“暂停”不是可用的值，应为：运行、关停、注销"),
    ({"地区": [["地区名称", "上级地区", "区划代码"], ["八宝镇", "广南", ""]]},
     "工作表“地区”，第2行，“上级地区”列：未知地区“广南”"),
    ({"地区": [["地区名称", "上级地区", "区划代码"], ["新区", "文山州", "53262"]]},
     "工作表“地区”，第2行，“区划代码”列：“53262”不是6位数字的区划代码"),
    ({"地区": [["地区名称", "上级地区", "区划代码"], ["新区", "文山州", "532626"]]},
     "工作表“地区”，第2行，“区划代码”列：区划代码“532626”已被其他地区使用"),
    ({"地区": [["地区名称", "上级地区", "区划代码"], ["新区", "文山州", ""], ["新区", "文山州", ""]]},
     "工作表“地区”，第3行，“地区名称”列：地区“新区”在本表中重复"),
    ({"地区": [["地区名称", "上级地区", "区划代码"], ["红河州", "", ""]]},
     "工作表“地区”，第2行，“上级地区”列：已有顶级地区，请填写上级地区"),
    ({"名单": [["网站名称"]]},
     "工作簿中没有“地区”“政府网站”“政务新媒体”中的任何一个工作表。"),
    ({"政府网站": []}, "工作表“政府网站”，第1行：工作表是空的，第1行应为表头"),
])
def test_each_error_class_is_named_in_chinese(demo, sheets, expected):
    before = snapshot()
    assert expected in problems_of(sheets)
    assert snapshot() == before


def test_an_ambiguous_region_name_is_an_error(demo):
    run({"地区": [["地区名称", "上级地区", "区划代码"], ["城关镇", "丘北县", ""],
                 ["城关镇", "西畴县", ""]]})
    found = problems_of({"政务新媒体": [ACCOUNT_HEADER, good_account(**{"所属地区": "城关镇"})]})
    assert found == ["工作表“政务新媒体”，第2行，“所属地区”列：地区名称“城关镇”不唯一"]


def test_an_account_id_and_name_that_point_at_two_accounts_is_an_error(demo):
    run({"政务新媒体": [ACCOUNT_HEADER, good_account("甲", **{"账号ID": "gh_1"}),
                       good_account("乙")]})
    found = problems_of({"政务新媒体": [ACCOUNT_HEADER, good_account("乙", **{"账号ID": "gh_1"})]})
    assert "与账号ID“gh_1”不是同一账号" in found[0]


def test_a_file_that_is_not_a_workbook_is_refused(demo):
    with pytest.raises(ImportFailed) as failure:
        import_directory(io.BytesIO(b"MZ\x90\x00 this is an executable"))
    assert "不是有效的 Excel 工作簿" in str(failure.value)


def test_a_file_over_the_limit_is_refused_before_it_is_read(demo, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    with pytest.raises(ImportFailed) as failure:
        import_directory(io.BytesIO(b""), size=3 * 1024 * 1024)
    assert "文件过大（3.0 MB），上限为 1 MB" in str(failure.value)


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


def test_reimporting_changes_nothing_and_changes_are_counted(demo):
    sheets = {
        "政府网站": [WEBSITE_HEADER, ["5326260009", "甲", "www.a.gov.cn", "丘北县政府办", "丘北县",
                                     "部门网站", "运行"]],
        "政务新媒体": [ACCOUNT_HEADER, good_account("甲"), good_account("乙")],
    }
    first = run(sheets)
    assert first.summary_lines() == [
        "政府网站：新增 1，更新 0，未变 0", "政务新媒体：新增 2，更新 0，未变 0", "主办单位：新增 1",
    ]
    state = snapshot()
    history = Website.history.count() + Account.history.count()
    second = run(sheets)
    assert second.summary_lines() == [
        "政府网站：新增 0，更新 0，未变 1", "政务新媒体：新增 0，更新 0，未变 2",
    ]
    assert snapshot() == state
    assert Website.history.count() + Account.history.count() == history
    sheets["政府网站"][1][6] = "关停"
    third = run(sheets)
    assert third.sheets["政府网站"].updated == 1
    site = Website.objects.get(site_code="5326260009")
    assert site.status == "closed" and site.closed_on is not None


def test_the_template_imports_cleanly(demo):
    result = import_directory(io.BytesIO(template()))
    assert list(result.sheets) == ["地区", "政府网站", "政务新媒体"]
    assert all(c.created + c.updated + c.unchanged == 1 for c in result.sheets.values())


# A province-like workbook, the same through the command and through the browser.

def big_workbook() -> dict:
    counties = ["文山市", "砚山县", "西畴县", "麻栗坡县", "马关县", "丘北县", "广南县", "富宁县"]
    platforms = ["微信公众号", "微博", "抖音", "今日头条", "快手", "小程序", "客户端", "其他"]
    websites = [WEBSITE_HEADER] + [
        [f"53269{i:05d}", f"测试网站{i}", f"www.t{i}.gov.cn", f"{counties[i % 8]}第{i}局",
         counties[i % 8], "部门网站", "运行" if i % 7 else "关停"]
        for i in range(40)
    ]
    accounts = [ACCOUNT_HEADER] + [
        [f"测试账号{i}", platforms[i % 8], "", f"id{i}" if i % 3 else "", f"{counties[i % 8]}第{i % 40}局",
         counties[i % 8], "已备案" if i % 5 else "未备案", ["运行", "关停", "注销"][i % 3]]
        for i in range(232)
    ]
    return {"政府网站": websites, "政务新媒体": accounts}


def test_a_big_workbook_through_the_command(demo, tmp_path):
    path = tmp_path / "名录.xlsx"
    path.write_bytes(workbook_bytes(big_workbook()))
    call_command("import_directory", str(path))
    assert_big_workbook_loaded()


def test_a_big_workbook_through_the_upload_page(demo, client, office_admin):
    client.force_login(office_admin)
    response = client.post(reverse("sites:directory_import"), {"file": workbook_file(big_workbook())},
                           follow=True)
    assert "导入成功" in response.content.decode()
    assert_big_workbook_loaded()


def assert_big_workbook_loaded():
    assert Website.objects.filter(name__startswith="测试网站").count() == 40
    assert Website.objects.filter(name__startswith="测试网站", status="closed").count() == 6
    accounts = Account.objects.filter(name__startswith="测试账号")
    assert accounts.count() == 232
    assert accounts.filter(filing="unfiled").count() == 47
    assert sorted(set(accounts.values_list("platform", flat=True))) == sorted(
        ["wechat", "weibo", "douyin", "toutiao", "kuaishou", "miniprogram", "app", "other"])
    assert accounts.get(name="测试账号4").account_id == "id4"


# The upload page.

def test_the_upload_page_lists_every_problem_and_changes_nothing(demo, client, office_admin):
    client.force_login(office_admin)
    before = snapshot()
    upload = workbook_file({"政务新媒体": [
        ACCOUNT_HEADER, good_account("新账号甲"), good_account("新账号乙", platform="飞信"),
        good_account("新账号丙", **{"所属地区": "火星区"}),
    ]})
    page = client.post(reverse("sites:directory_import"), {"file": upload}).content.decode()
    assert "发现 2 个问题，没有做任何修改" in page
    assert "未知平台“飞信”" in page and "未知地区“火星区”" in page
    assert snapshot() == before


def test_the_upload_page_refuses_a_renamed_file(demo, client, office_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(office_admin)
    upload = SimpleUploadedFile("名录.xlsx", b"not a workbook at all")
    page = client.post(reverse("sites:directory_import"), {"file": upload}).content.decode()
    assert "不是有效的 Excel 工作簿" in page


def test_the_upload_page_offers_the_template(client, office_admin):
    client.force_login(office_admin)
    response = client.get(reverse("sites:directory_import") + "?template")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert import_directory(io.BytesIO(response.content)).sheets["地区"].unchanged == 1


def test_an_admin_cannot_import_into_a_region_outside_their_scope(demo, client, make_user, region):
    from sites.roles import Role

    county_admin = make_user(Role.ADMIN, region=region("西畴县"))
    client.force_login(county_admin)
    before = snapshot()
    upload = workbook_file({"政务新媒体": [ACCOUNT_HEADER, good_account("新账号甲")]})
    page = client.post(reverse("sites:directory_import"), {"file": upload}).content.decode()
    assert "未知地区“丘北县”" in page
    assert snapshot() == before


@pytest.mark.parametrize("username", ["liaison", "inspector", "leader"])
def test_only_admins_may_import(demo, client, django_user_model, username):
    client.force_login(django_user_model.objects.get(username=username))
    assert client.get(reverse("sites:directory_import")).status_code == 403
    upload = workbook_file({"政务新媒体": [ACCOUNT_HEADER, good_account("新账号甲")]})
    assert client.post(reverse("sites:directory_import"), {"file": upload}).status_code == 403
    assert not Account.objects.filter(name="新账号甲").exists()
