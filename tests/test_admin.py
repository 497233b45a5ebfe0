"""The Django admin: every registered model's list, a record and its history where one is kept
open for a superuser on the demo data (with its checks and its campaign's tasks)."""

import pytest
from django.contrib import admin
from django.urls import reverse

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
