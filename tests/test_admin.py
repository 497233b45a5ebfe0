"""The Django admin: every registered model's list, a record and its history where one is kept
open for a superuser on the demo data (with its checks and its campaign's tasks); nobody else
gets in, not even a staff 管理员, since the admin knows neither scope nor the portal's rules."""

import pytest
from django.contrib import admin
from django.urls import reverse

from sites.models import Website
from sites.roles import Role

MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def superuser(demo, demo_inspections, django_user_model):
    from inspections.campaign_demo import load_campaigns

    load_campaigns(demo)
    return django_user_model.objects.create_superuser("root", password="pw")


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_admin_list_opens(client, superuser, model):
    client.force_login(superuser)
    opts = model._meta
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200
    obj = model._default_manager.first()
    if obj is not None:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert client.get(url).status_code == 200
    if obj is not None and hasattr(model, "history"):
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
        assert client.get(url).status_code == 200


@pytest.fixture
def staff_admin(make_user, region):
    """A 西畴县 管理员 marked as staff, as the demo admin used to be."""
    return make_user(Role.ADMIN, region=region("西畴县"), is_staff=True)


def test_a_staff_admin_is_sent_to_the_admin_login(client, staff_admin):
    qiubei_site = Website.objects.get(name="丘北县人民政府")
    client.force_login(staff_admin)
    login = reverse("admin:login")
    for url in (reverse("admin:index"), reverse("admin:sites_website_changelist"),
                reverse("admin:sites_website_change", args=[qiubei_site.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(login), url


def test_a_staff_admin_cannot_make_themselves_superuser(client, staff_admin):
    client.force_login(staff_admin)
    url = reverse("admin:sites_user_change", args=[staff_admin.pk])
    response = client.post(url, {"username": staff_admin.username, "is_superuser": "on",
                                 "is_staff": "on", "is_active": "on"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    staff_admin.refresh_from_db()
    assert not staff_admin.is_superuser


def test_a_superuser_gets_in(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:index")).status_code == 200

