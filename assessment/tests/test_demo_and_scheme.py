"""The demo loader and the default scheme."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessment.admin import copy_of
from assessment.default_scheme import NAME
from assessment.demo import load_assessment
from assessment.models import AnnualReport, AssessmentYear, Item, ItemScore, Scheme


def test_loading_the_demo_twice_changes_nothing(wenshan_2021, demo):
    before = (AssessmentYear.objects.count(), AnnualReport.objects.count(),
              list(AnnualReport.objects.order_by("pk").values_list("file", "submitted_at")),
              ItemScore.history.count())
    load_assessment(demo)
    after = (AssessmentYear.objects.count(), AnnualReport.objects.count(),
             list(AnnualReport.objects.order_by("pk").values_list("file", "submitted_at")),
             ItemScore.history.count())
    assert before == after
    assert before[:2] == (2, 38)


def test_the_default_scheme_has_100_deduction_and_20_bonus_points(db):
    scheme = Scheme.objects.default()
    assert scheme.name == NAME
    roots = scheme.items.filter(parent=None)
    assert sum(i.max_points for i in roots.filter(kind="deduction")) == 100
    assert sum(i.max_points for i in roots.filter(kind="bonus")) == 20
    assert set(roots.filter(kind="veto").values_list("name", flat=True)) == {"严重表述错误", "抽查不合格网站较多"}
    sourced = dict(scheme.items.exclude(source="").values_list("name", "points_each"))
    assert sourced == {"季度检查": Decimal(1), "检查情况通报": Decimal(2), "年度报表按时发布": Decimal(2),
                       "找错留言未办结": Decimal(3), "找错留言办结超期": Decimal(2)}
    # Whatever could not be confirmed says so.
    assert scheme.items.get(name="抽查比例").rule.endswith("【待核实】分值为暂定值，请对照国办秘函〔2019〕19号附件2及本省细则核对。")
    assert "【待核实】" not in scheme.items.get(name="集约化平台").rule


def test_an_automatic_item_needs_points_each(db):
    scheme = Scheme.objects.default()
    item = Item(scheme=scheme, name="新项", kind="deduction", max_points=5, source="circulars")
    with pytest.raises(ValidationError, match="每处分值"):
        item.clean()


def test_a_copied_scheme_keeps_the_tree(db):
    scheme = Scheme.objects.default()
    copy = copy_of(scheme)
    assert not copy.is_default
    assert copy.items.count() == scheme.items.count()
    group = copy.items.get(name="常态化监管")
    assert set(group.children.values_list("name", flat=True)) == {"季度检查", "检查情况通报", "抽查比例", "问题整改"}


def test_a_scheme_a_locked_year_used_cannot_be_changed_in_the_admin(client, wenshan_2021, office_admin,
                                                                    django_user_model):
    from django.urls import reverse

    from assessment.scoring import lock_year

    client.force_login(django_user_model.objects.create_superuser("it", password="pw"))
    url = reverse("admin:assessment_scheme_change", args=[wenshan_2021.scheme_id])
    assert 'name="_save"' in client.get(url).content.decode()
    lock_year(wenshan_2021, office_admin)
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # view only
    assert client.post(url, {"name": "改名"}).status_code == 403


def test_the_message_rules_name_the_assessed_year_as_counted(db):
    scheme = Scheme.objects.default()
    unhandled = scheme.items.get(name="找错留言未办结").rule
    assert unhandled.startswith("本年度“我为政府网站找错”平台收到的网民留言，至考核时已超过办理期限仍未办结的")
    assert "上一年度" not in scheme.items.get(name="找错留言办结超期").rule


def test_the_migration_rewords_only_the_unedited_rules_of_open_years(wenshan_2021, office_admin):
    import importlib

    from django.apps import apps

    from assessment.scoring import lock_year

    migration = importlib.import_module("assessment.migrations.0003_message_rules_say_the_assessed_year")
    scheme = Scheme.objects.default()
    old = migration.OLD_RULES["找错留言未办结"]
    scheme.items.filter(name="找错留言未办结").update(rule=old)
    scheme.items.filter(name="找错留言办结超期").update(rule="本省细则：……")
    migration.reword(apps, None)
    assert scheme.items.get(name="找错留言未办结").rule == migration.NEW_RULES["找错留言未办结"]
    assert scheme.items.get(name="找错留言办结超期").rule == "本省细则：……"
    scheme.items.filter(name="找错留言未办结").update(rule=old)
    lock_year(wenshan_2021, office_admin)
    migration.reword(apps, None)
    assert scheme.items.get(name="找错留言未办结").rule == old  # scored under it: kept
