"""The scheme pages: list, detail, download, copy, set default, edit (formset), import."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from common.testing import workbook_file
from inspections.models import Indicator, Scheme
from inspections.scheme_forms import IndicatorFormSet
from inspections.scheme_import import NATIONAL_WEBSITE_SCHEME, copy_scheme, tree_rows

pytestmark = pytest.mark.django_db

HEADER = ["指标名称", "上级指标", "类型", "分值", "说明"]


def national():
    return Scheme.objects.get(name=NATIONAL_WEBSITE_SCHEME)


def tree(scheme):
    return [
        (depth, i.name, i.parent.name if i.parent else "", i.kind, i.max_points, i.rule)
        for i, depth in tree_rows(Indicator.objects.filter(scheme=scheme).select_related("parent"))
    ]


def snapshot():
    return (
        sorted(Scheme.objects.values_list("name", "pass_mark", "bonus_threshold", "is_default")),
        sorted(Indicator.objects.values_list(
            "scheme__name", "name", "parent__name", "kind", "max_points", "rule", "order")),
    )


@pytest.fixture
def small_scheme(db):
    """A scheme of four rows: a veto item and one group of two deduction items (10 = 6 + 4)."""
    scheme = Scheme.objects.create(name="某州指标体系", target="websites")
    add = lambda name, kind, points=None, parent=None, order=0: Indicator.objects.create(  # noqa: E731
        scheme=scheme, name=name, kind=kind, max_points=points, parent=parent, order=order)
    add("首页不更新", "veto", order=1)
    group = add("发布解读", "deduction", 10, order=2)
    add("政务动态", "deduction", 6, group, order=3)
    add("政策解读", "deduction", 4, group, order=4)
    return scheme


def edit_data(scheme, **scheme_fields) -> dict:
    """The edit page's POST as the browser sends it, unchanged: the scheme's fields and every
    row of the formset (three blank rows at the end)."""
    formset = IndicatorFormSet(scheme=scheme)
    data = {
        "name": scheme.name, "pass_mark": scheme.pass_mark, "bonus_threshold": scheme.bonus_threshold,
        "description": scheme.description, **scheme_fields,
    }
    management = formset.management_form
    for name in management.fields:
        data[management.add_prefix(name)] = management[name].value()
    for form in formset.forms:
        for name in form.fields:
            value = form[name].value()
            data[form.add_prefix(name)] = "" if value is None else value
            if name == "DELETE":
                data.pop(form.add_prefix(name))
    return data


def row_of(data: dict, name: str) -> str:
    """The prefix of the row holding the indicator `name`: "indicators-3"."""
    key = next(k for k, v in data.items() if k.endswith("-name") and v == name)
    return key[: -len("-name")]


# List

def test_the_list_shows_each_scheme_with_its_counts(client, liaison, demo_inspections):
    client.force_login(liaison)
    page = client.get(reverse("inspections:scheme_list")).content.decode()
    assert NATIONAL_WEBSITE_SCHEME in page and "国家政务新媒体检查指标（2019）" in page
    assert "<td class=\"num\">35</td>" in page and "<td class=\"num\">3</td>" in page


def test_the_list_filters_by_target_and_text(client, office_admin):
    client.force_login(office_admin)
    page = client.get(reverse("inspections:scheme_list"), {"target": "newmedia"}).content.decode()
    assert "国家政务新媒体检查指标（2019）" in page and NATIONAL_WEBSITE_SCHEME not in page
    page = client.get(reverse("inspections:scheme_list"), {"q": "网站"}).content.decode()
    assert "国家政务新媒体检查指标（2019）" not in page and NATIONAL_WEBSITE_SCHEME in page
    page = client.get(reverse("inspections:scheme_list"), {"target": "apps"}).content.decode()
    assert "筛选条件有误" in page


def test_the_list_exports_readable_values(client, office_admin, demo_inspections):
    client.force_login(office_admin)
    response = client.get(reverse("inspections:scheme_list"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("名称", "检查对象", "合格分数线", "加分门槛", "默认指标体系", "指标数", "已锁定")
    assert (NATIONAL_WEBSITE_SCHEME, "政府网站", 60, 80, "是", 35, "是") in rows
    assert ("国家政务新媒体检查指标（2019）", "政务新媒体", 60, 80, "是", 3, "是") in rows  # the demo's Q4 check


def grow_schemes(count: int) -> None:
    for _ in range(count):
        copy_scheme(national(), f"测试指标体系{Scheme.objects.count()}")


@pytest.mark.parametrize("suffix", ["", "?export=xlsx", "?export=csv", "?sort=-indicator_count&q=测试"])
def test_list_queries_do_not_grow_with_schemes(client, office_admin, suffix,
                                               django_assert_max_num_queries):
    client.force_login(office_admin)
    url = reverse("inspections:scheme_list") + suffix

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        assert response.status_code == 200
        return len(queries)

    grow_schemes(2)
    small = count()
    grow_schemes(20)
    with django_assert_max_num_queries(small):
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert small <= 12


# Detail and download

def test_the_detail_page_shows_the_tree_and_the_rules(client, liaison):
    client.force_login(liaison)
    page = client.get(national().get_absolute_url()).content.decode()
    for text in ("单项否决指标", "扣分指标（共 100 分）", "加分指标（共 30 分）", "站点无法访问",
                 "发布解读", "　政务动态", "监测1周，每天间隔性访问不少于20次", "低于 60 分为不合格",
                 "超过 80 分的，再计加分指标得分", "下载为工作簿"):
        assert text in page
    for url_name in ("scheme_copy", "scheme_edit", "scheme_set_default"):
        assert reverse(f"inspections:{url_name}", args=[national().pk]) not in page
    assert "用工作簿替换指标" not in page and reverse("inspections:scheme_import") not in page


def test_admins_see_the_actions(client, office_admin, small_scheme):
    client.force_login(office_admin)
    page = client.get(small_scheme.get_absolute_url()).content.decode()
    for url_name in ("scheme_copy", "scheme_edit", "scheme_set_default", "scheme_download"):
        assert reverse(f"inspections:{url_name}", args=[small_scheme.pk]) in page
    assert "用工作簿替换指标" in page


def test_a_locked_scheme_shows_why_and_offers_no_edit(client, office_admin, demo_inspections):
    client.force_login(office_admin)
    scheme = national()
    page = client.get(scheme.get_absolute_url()).content.decode()
    assert "已锁定：该指标体系已用于 2 次已结束的检查" in page
    assert "2021年三季度政府网站检查" in page and "已结束" in page
    assert reverse("inspections:scheme_edit", args=[scheme.pk]) not in page
    assert "用工作簿替换指标" not in page
    assert reverse("inspections:scheme_copy", args=[scheme.pk]) in page


def test_the_detail_page_is_bounded(client, office_admin, demo_inspections,
                                    django_assert_max_num_queries):
    client.force_login(office_admin)
    with django_assert_max_num_queries(12):
        assert client.get(national().get_absolute_url()).status_code == 200


def test_the_download_is_the_import_layout(client, liaison):
    client.force_login(liaison)
    response = client.get(reverse("inspections:scheme_download", args=[national().pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content))["指标"].iter_rows(values_only=True))
    assert rows[0] == tuple(HEADER) and len(rows) == 36


# Copy

def test_copy_gives_an_identical_tree_based_on_the_source(client, office_admin):
    client.force_login(office_admin)
    source = national()
    response = client.post(reverse("inspections:scheme_copy", args=[source.pk]), {"name": ""})
    copy = Scheme.objects.get(name=f"{NATIONAL_WEBSITE_SCHEME}（副本）")
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:scheme_edit", args=[copy.pk])
    assert copy.based_on == source and not copy.is_default and copy.target == source.target
    assert (copy.pass_mark, copy.bonus_threshold, copy.description) == (
        source.pass_mark, source.bonus_threshold, source.description)
    assert tree(copy) == tree(source)
    assert not set(copy.indicators.values_list("pk", flat=True)) & set(
        source.indicators.values_list("pk", flat=True))
    client.post(reverse("inspections:scheme_copy", args=[source.pk]))
    assert Scheme.objects.filter(name=f"{NATIONAL_WEBSITE_SCHEME}（副本2）", based_on=source).exists()


def test_copy_takes_a_typed_name_and_refuses_a_taken_one(client, office_admin, demo_inspections):
    client.force_login(office_admin)
    url = reverse("inspections:scheme_copy", args=[national().pk])
    page = client.get(url).content.decode()
    assert f'value="{NATIONAL_WEBSITE_SCHEME}（副本）"' in page
    client.post(url, {"name": "某州2024年指标"})
    assert tree(Scheme.objects.get(name="某州2024年指标")) == tree(national())  # a locked one too
    before = snapshot()
    page = client.post(url, {"name": "某州2024年指标"}).content.decode()
    assert "已有同名的指标体系" in page
    assert snapshot() == before


# Set default

def test_set_default_moves_the_default_of_that_target(client, office_admin, small_scheme):
    client.force_login(office_admin)
    response = client.post(reverse("inspections:scheme_set_default", args=[small_scheme.pk]))
    assert response.status_code == 302
    assert Scheme.objects.default_for("websites") == small_scheme
    assert Scheme.objects.default_for("newmedia").name == "国家政务新媒体检查指标（2019）"
    assert client.get(reverse("inspections:scheme_set_default", args=[small_scheme.pk])).status_code == 405


# Edit

def test_the_edit_page_lists_every_indicator_parents_first(client, office_admin, small_scheme):
    client.force_login(office_admin)
    response = client.get(reverse("inspections:scheme_edit", args=[small_scheme.pk]))
    formset = response.context["formset"]
    names = [f["name"].value() for f in formset.forms[:4]]
    assert names == ["首页不更新", "发布解读", "政务动态", "政策解读"]
    assert len(formset.forms) == 7
    page = response.content.decode()
    assert 'aria-label="第3行 指标名称"' in page and 'id="empty-row"' in page


def test_an_unchanged_post_saves_nothing_new(client, office_admin, small_scheme):
    client.force_login(office_admin)
    before = snapshot()
    response = client.post(reverse("inspections:scheme_edit", args=[small_scheme.pk]),
                           edit_data(small_scheme), follow=True)
    assert "指标：新增 0，更新 0，未变 4，删除 0" in response.content.decode()
    assert snapshot() == before


def test_edit_saves_the_scheme_and_its_rows_together(client, office_admin, small_scheme):
    client.force_login(office_admin)
    data = edit_data(small_scheme, pass_mark="65", description="本州2024年")
    group = small_scheme.indicators.get(name="发布解读")
    data[row_of(data, "政务动态") + "-max_points"] = "5"
    data[row_of(data, "政务动态") + "-name"] = "动态要闻"
    data[row_of(data, "政策解读") + "-max_points"] = "5"
    data["indicators-4-name"] = "回应关切"
    data["indicators-4-parent"] = group.pk
    data["indicators-4-kind"] = "deduction"
    data["indicators-4-max_points"] = "2"
    data[row_of(data, "发布解读") + "-max_points"] = "12"
    data[row_of(data, "首页不更新") + "-DELETE"] = "on"
    response = client.post(reverse("inspections:scheme_edit", args=[small_scheme.pk]), data)
    assert response.status_code == 302
    small_scheme.refresh_from_db()
    assert (small_scheme.pass_mark, small_scheme.description) == (65, "本州2024年")
    assert tree(small_scheme) == [
        (0, "发布解读", "", "deduction", 12, ""),
        (1, "动态要闻", "发布解读", "deduction", 5, ""),
        (1, "政策解读", "发布解读", "deduction", 5, ""),
        (1, "回应关切", "发布解读", "deduction", 2, ""),
    ]


def test_a_bad_parent_sum_is_shown_in_place_and_nothing_is_saved(client, office_admin, small_scheme):
    client.force_login(office_admin)
    before = snapshot()
    data = edit_data(small_scheme, pass_mark="70")
    data[row_of(data, "政务动态") + "-max_points"] = "7"
    response = client.post(reverse("inspections:scheme_edit", args=[small_scheme.pk]), data)
    assert response.status_code == 200
    form = response.context["formset"].forms[1]
    assert form["name"].value() == "发布解读"
    assert form.errors["max_points"] == ["分值10与下级指标分值之和11不一致"]
    page = response.content.decode()
    assert "未保存：请修改下面标出的问题后再保存" in page
    assert '<div class="error">分值10与下级指标分值之和11不一致</div>' in page
    assert 'value="7"' in page  # what was typed stays on the page
    assert "第2行（发布解读）“分值”</a>：分值10与下级指标分值之和11不一致" in page  # and in the summary
    assert snapshot() == before


def test_a_bad_cell_and_a_broken_rule_are_shown_together(client, office_admin, small_scheme):
    client.force_login(office_admin)
    data = edit_data(small_scheme)
    data[row_of(data, "政务动态") + "-max_points"] = "7"
    data["indicators-4-name"] = "新指标"  # no kind
    data[row_of(data, "政策解读") + "-max_points"] = "四"
    response = client.post(reverse("inspections:scheme_edit", args=[small_scheme.pk]), data)
    forms = response.context["formset"].forms
    assert forms[4].errors == {"kind": ["这个字段是必填项。"]}
    assert forms[3].errors == {"max_points": ["输入一个数字。"]}
    assert forms[2].errors == {}  # 10 vs 7 + an unknown number: no sum to compare
    assert forms[1].errors == {}
    data[row_of(data, "政策解读") + "-max_points"] = "4"
    response = client.post(reverse("inspections:scheme_edit", args=[small_scheme.pk]), data)
    forms = response.context["formset"].forms
    assert forms[4].errors == {"kind": ["这个字段是必填项。"]}
    assert forms[1].errors == {"max_points": ["分值10与下级指标分值之和11不一致"]}


@pytest.mark.parametrize(("change", "row", "field", "message"), [
    ({"政策解读-kind": "bonus"}, 3, "kind", "类型应与上级指标“发布解读”相同（扣分）"),
    ({"首页不更新-max_points": "3"}, 0, "max_points", "单项否决指标不设分值"),
    ({"政策解读-max_points": ""}, 3, "max_points", "末级扣分指标必须填写分值"),
    ({"政策解读-name": "政务动态"}, 3, "name", "“政务动态”与第3行重复"),
    ({"政策解读-max_points": "-4", "发布解读-max_points": ""}, 3, "max_points", "分值不能小于0"),
    ({"发布解读-parent": "政务动态"}, 1, "parent", "上级指标形成循环：发布解读 → 政务动态 → 发布解读"),
    ({"发布解读-DELETE": "on"}, 2, "parent", "上级指标“发布解读”已勾选删除，请另选上级指标或一并删除本行"),
])
def test_the_import_rules_apply_to_the_formset(client, office_admin, small_scheme, change, row, field,
                                               message):
    client.force_login(office_admin)
    before = snapshot()
    data = edit_data(small_scheme)
    for key, value in change.items():
        name, column = key.split("-")
        if column == "parent":
            value = small_scheme.indicators.get(name=value).pk
        data[f"{row_of(data, name)}-{column}"] = value
    response = client.post(reverse("inspections:scheme_edit", args=[small_scheme.pk]), data)
    assert response.status_code == 200
    assert message in response.context["formset"].forms[row].errors[field]
    assert snapshot() == before


def test_a_scheme_needs_an_indicator_and_stale_pages_are_refused(client, office_admin, small_scheme):
    client.force_login(office_admin)
    data = edit_data(small_scheme)
    for name in ("首页不更新", "发布解读", "政务动态", "政策解读"):
        data[row_of(data, name) + "-DELETE"] = "on"
    page = client.post(reverse("inspections:scheme_edit", args=[small_scheme.pk]), data).content.decode()
    assert "指标体系至少要有一个指标。" in page
    data = edit_data(small_scheme)
    Indicator.objects.create(scheme=small_scheme, name="他人新增", kind="veto")
    page = client.post(reverse("inspections:scheme_edit", args=[small_scheme.pk]), data).content.decode()
    assert "指标在别处已被增删，请重新打开编辑页面后再修改。" in page
    assert small_scheme.indicators.count() == 5


def test_an_indicator_with_scores_cannot_be_deleted(client, office_admin, demo_inspections):
    from inspections.models import Inspection

    Inspection.objects.update(status="scoring")  # scored, but not locked
    scheme = national()
    client.force_login(office_admin)
    data = edit_data(scheme)
    for name in ("办事服务", "服务入口", "办事指南", "表格下载", "在线办理"):
        data[row_of(data, name) + "-DELETE"] = "on"
    page = client.post(reverse("inspections:scheme_edit", args=[scheme.pk]), data).content.decode()
    assert "指标“办事服务”已有检查得分或问题记录，不能删除。" in page
    assert scheme.indicators.filter(name="办事服务").exists()


def test_a_locked_scheme_cannot_be_edited(client, office_admin, demo_inspections):
    client.force_login(office_admin)
    scheme = national()
    data = edit_data(scheme)
    response = client.get(reverse("inspections:scheme_edit", args=[scheme.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "不能编辑：" in page and "已用于 2 次已结束的检查" in page and "indicators-TOTAL_FORMS" not in page
    before = snapshot()
    assert client.post(reverse("inspections:scheme_edit", args=[scheme.pk]), data).status_code == 403
    assert snapshot() == before


# Import page

def test_the_import_page_creates_a_scheme_and_opens_it(client, office_admin):
    client.force_login(office_admin)
    upload = workbook_file({"指标": [HEADER, ["首页不更新", "", "单项否决", None, ""]]}, "指标.xlsx")
    response = client.post(reverse("inspections:scheme_import"),
                           {"name": "某州新媒体指标", "target": "newmedia", "file": upload}, follow=True)
    scheme = Scheme.objects.get(name="某州新媒体指标")
    assert response.redirect_chain[-1][0] == scheme.get_absolute_url()
    page = response.content.decode()
    assert "导入成功" in page and "新建指标体系“某州新媒体指标”（政务新媒体）" in page


def test_the_import_page_lists_every_problem(client, office_admin, demo_inspections):
    client.force_login(office_admin)
    before = snapshot()
    upload = workbook_file({"指标": [HEADER, ["甲", "乙", "扣分", 5, ""], ["丙", "", "单项否决", 2, ""]]})
    page = client.post(reverse("inspections:scheme_import"),
                       {"name": NATIONAL_WEBSITE_SCHEME, "target": "websites", "file": upload}
                       ).content.decode()
    assert "发现 3 个问题，没有做任何修改" in page
    assert "已用于已结束的检查" in page and "找不到上级指标“乙”" in page and "单项否决指标不设分值" in page
    assert snapshot() == before


def test_the_import_page_offers_the_national_scheme_as_template(client, office_admin, small_scheme):
    client.force_login(office_admin)
    response = client.get(reverse("inspections:scheme_import") + "?template")
    rows = list(load_workbook(io.BytesIO(response.content))["指标"].iter_rows(values_only=True))
    assert rows[1][0] == "安全、泄密事故等严重问题" and len(rows) == 36
    url = reverse("inspections:scheme_import") + f"?name={small_scheme.name}&target=websites"
    page = client.get(url).content.decode()
    assert 'value="某州指标体系"' in page and '<option value="websites" selected>' in page


# Who may do what

ADMIN_ONLY = [
    ("get", "inspections:scheme_copy"), ("post", "inspections:scheme_copy"),
    ("get", "inspections:scheme_edit"), ("post", "inspections:scheme_edit"),
    ("post", "inspections:scheme_set_default"),
    ("get", "inspections:scheme_import"), ("post", "inspections:scheme_import"),
]


@pytest.mark.parametrize(("method", "name"), ADMIN_ONLY)
@pytest.mark.parametrize("username", ["liaison", "inspector", "leader"])
def test_only_admins_change_schemes(client, django_user_model, small_scheme, demo, method, name,
                                    username):
    client.force_login(django_user_model.objects.get(username=username))
    url = reverse(name) if name.endswith("import") else reverse(name, args=[small_scheme.pk])
    before = snapshot()
    assert getattr(client, method)(url, {"name": "改名"}).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("name", ["scheme_list", "scheme", "scheme_download"])
def test_every_signed_in_role_reads_schemes(client, liaison, name):
    client.force_login(liaison)
    url = reverse(f"inspections:{name}", args=[] if name == "scheme_list" else [national().pk])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", ["scheme_list", "scheme_import", "scheme", "scheme_edit", "scheme_copy",
                                  "scheme_set_default", "scheme_download"])
def test_anonymous_users_are_sent_to_login(client, name):
    url = reverse(f"inspections:{name}", args=[] if name in ("scheme_list", "scheme_import")
                  else [national().pk])
    before = snapshot()
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert snapshot() == before


def test_an_unknown_scheme_is_not_found(client, office_admin):
    client.force_login(office_admin)
    for name in ("scheme", "scheme_edit", "scheme_copy", "scheme_download"):
        assert client.get(reverse(f"inspections:{name}", args=[99999])).status_code == 404
