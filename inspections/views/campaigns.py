"""Campaigns (专项排查整治): list, create and edit, the campaign page with its items, and
adding accounts or websites to a campaign. Office pages: the view permission is needed
(403 for liaisons), and a campaign outside the user's region is not found (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from common.views import ObjectCreateView, ObjectEditView, ObjectListView
from newmedia.models import Account
from sites.models import Website

from ..campaign_filtersets import (
    AccountCandidateFilterSet,
    CampaignFilterSet,
    CampaignItemFilterSet,
    WebsiteCandidateFilterSet,
)
from ..campaign_forms import CampaignForm, CampaignItemsForm
from ..campaign_tables import CampaignItemTable, CampaignTable
from ..choices import TaskState
from ..models import Campaign, CampaignItem
from ..rectification import ensure_campaign_tasks

# Candidates shown at once on the add page; narrow the filter to reach the others.
CANDIDATE_LIMIT = 500


class CampaignPermissionMixin(PermissionRequiredMixin):
    permission_required = "inspections.view_campaign"
    raise_exception = True


class CampaignListView(CampaignPermissionMixin, ObjectListView):
    queryset = CampaignTable.annotate(Campaign.objects.select_related("region"))
    table_class = CampaignTable
    filterset_class = CampaignFilterSet
    title = "专项排查整治"
    export_stem = "专项排查整治"
    add_permission = "inspections.add_campaign"
    add_url_name = "inspections:campaign_add"


class CampaignCreateView(ObjectCreateView):
    model = Campaign
    form_class = CampaignForm
    permission_required = "inspections.add_campaign"


class CampaignEditView(ObjectEditView):
    queryset = Campaign.objects.all()
    form_class = CampaignForm
    permission_required = "inspections.change_campaign"


class CampaignMixin(CampaignPermissionMixin):
    """Pages of one campaign: it must be in the user's scope (404 otherwise)."""

    @cached_property
    def campaign(self) -> Campaign:
        return get_object_or_404(Campaign.objects.visible_to(self.request.user)
                                 .select_related("region"), pk=self.kwargs["pk"])


class CampaignView(CampaignMixin, ObjectListView):
    """The campaign page: its details and its items with their tasks (filter, export)."""

    table_class = CampaignItemTable
    filterset_class = CampaignItemFilterSet
    template_name = "inspections/campaign_detail.html"

    def get_queryset(self):
        return (self.campaign.items.visible_to(self.request.user)
                .select_related("account__unit", "website__unit", "unit__region", "task")
                .order_by("pk"))

    def get(self, request, *args, **kwargs):
        self.title = self.campaign.name
        self.export_stem = f"{self.campaign.name}问题账号"
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["campaign"] = self.campaign
        context["counts"] = counts = self.campaign.items.visible_to(user).aggregate(
            total=Count("pk"), open=Count("pk", filter=~Q(task__state=TaskState.ACCEPTED)))
        counts["done"] = counts["total"] - counts["open"]
        context["can_edit"] = user.has_perm("inspections.change_campaign")
        return context


TARGETS = {
    "accounts": (Account, AccountCandidateFilterSet, "account", "政务新媒体账号"),
    "websites": (Website, WebsiteCandidateFilterSet, "website", "政府网站"),
}


class CampaignItemsAddView(CampaignMixin, TemplateView):
    """Pick accounts (or websites) in the campaign's region, give their 核查结果, and each
    becomes an item with its rectification task."""

    permission_required = "inspections.change_campaign"
    template_name = "inspections/campaign_items_add.html"

    @cached_property
    def target(self) -> str:
        target = self.request.GET.get("target", "accounts")
        if target not in TARGETS:
            raise Http404("未知的对象类型")
        return target

    def candidates(self):
        """Targets in the campaign's region and the user's scope, not yet in the campaign."""
        model = TARGETS[self.target][0]
        return (model.objects.visible_to(self.request.user).within(self.campaign.region)
                .exclude(**{"campaign_items__campaign": self.campaign})
                .select_related("unit__region"))

    def filterset(self):
        _, filterset_class, _, _ = TARGETS[self.target]
        filters = {k: v for k, v in self.request.GET.items() if k != "target"}
        data = filters or filterset_class.PRESET
        return filterset_class(data, queryset=self.candidates(), request=self.request)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset()
        shown = list(filterset.qs[:CANDIDATE_LIMIT + 1]) if filterset.is_valid() else []
        context.update({
            "campaign": self.campaign, "filter": filterset, "target": self.target,
            "target_label": TARGETS[self.target][3],
            "targets": {key: label for key, (*_, label) in TARGETS.items()},
            "candidates": shown[:CANDIDATE_LIMIT], "more": len(shown) > CANDIDATE_LIMIT,
            "form": form or CampaignItemsForm(candidates=self.candidates()),
            "title": f"{self.campaign.name} · 添加问题{TARGETS[self.target][3]}",
        })
        return context

    def post(self, request, *args, **kwargs):
        form = CampaignItemsForm(request.POST, candidates=self.candidates())
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        _, _, field, _ = TARGETS[self.target]
        with transaction.atomic():
            CampaignItem.objects.bulk_create(
                CampaignItem(campaign=self.campaign, unit_id=target.unit_id,
                             result=form.cleaned_data["result"], **{field: target})
                for target in form.cleaned_data["targets"].order_by("unit__region__path", "pk")
            )
            opened = ensure_campaign_tasks(self.campaign)
        messages.success(request, f"已加入 {len(opened)} 个问题{TARGETS[self.target][3]}，"
                                  f"并向责任单位下发整改任务。")
        return redirect(self.campaign)


urlpatterns = [
    path("campaigns/", CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/add/", CampaignCreateView.as_view(), name="campaign_add"),
    path("campaigns/<int:pk>/", CampaignView.as_view(), name="campaign"),
    path("campaigns/<int:pk>/edit/", CampaignEditView.as_view(), name="campaign_edit"),
    path("campaigns/<int:pk>/items/add/", CampaignItemsAddView.as_view(),
         name="campaign_items_add"),
]
