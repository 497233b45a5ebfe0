"""政民互动 pages: messages (list, detail, edit, import), the per-unit statistics of a
quarter or year, the channels, and the office's holiday table (节假日调整)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.views import View
from django.views.generic import DeleteView
from django_tables2 import RequestConfig

from common.export import export_response
from common.imports import WorkbookImportView
from common.views import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ScopedQuerysetMixin,
)

from . import filtersets, forms, tables
from .holidays import schedule_years, upcoming_unconfirmed_years
from .message_import import import_messages
from .message_import import template as messages_template
from .models import Channel, HolidayOverride, HolidayYear, Message, runs_the_portal
from .statistics import received, unit_figures
from .workdays import LIBRARY_YEARS, WorkCalendar, missing_schedule_note


class HolidayReminderMixin:
    """For admins, a banner while the coming days reach a year whose holiday schedule is
    not entered: deadlines counted over it are only a guess."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.has_perm("interaction.view_holidayoverride"):
            context["holiday_reminder"] = upcoming_unconfirmed_years(timezone.localdate())
        return context


# Messages


class MessageListView(HolidayReminderMixin, ObjectListView):
    queryset = Message.objects.select_related("channel", "unit__region")
    table_class = tables.MessageTable
    filterset_class = filtersets.MessageFilterSet
    template_name = "interaction/message_list.html"
    title = "网民留言"
    export_stem = "网民留言"
    add_permission = "interaction.add_message"
    add_url_name = "interaction:message_add"


class MessageView(ObjectDetailView):
    queryset = Message.objects.select_related("channel", "unit__region")
    template_name = "interaction/message_detail.html"
    detail_fields = ["channel", "external_id", "unit", "received_at", "deadline", "replied_at",
                     "status", "note"]
    list_url_name = "interaction:message_list"
    edit_permission = "interaction.change_message"
    edit_url_name = "interaction:message_edit"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        message: Message = self.object
        context["state"] = message.state_label(timezone.localdate())
        if message.deadline_provisional:
            deadline = message.channel.deadline_for(message.received_at, WorkCalendar())
            context["provisional_note"] = missing_schedule_note(deadline.unconfirmed_years)
        return context


class MessageCreateView(ObjectCreateView):
    model = Message
    form_class = forms.MessageForm
    permission_required = "interaction.add_message"


class MessageEditView(ObjectEditView):
    queryset = Message.objects.all()
    form_class = forms.MessageForm
    permission_required = "interaction.change_message"


class MessageImportView(WorkbookImportView):
    permission_required = ("interaction.add_message", "interaction.change_message")
    title = "网民留言导入"
    template_filename = "网民留言导入模板.xlsx"
    help_template = "interaction/message_import_help.html"

    def run_import(self, upload):
        return import_messages(upload, size=upload.size, user=self.request.user)

    def template_bytes(self) -> bytes:
        return messages_template()


# Statistics


class MessageStatisticsView(HolidayReminderMixin, ObjectListView):
    """Per unit, the messages received in a quarter or year and how they were handled (as
    of today), within the user's scope and the chosen region and channel; the total in the
    footer and as the download's last row."""

    queryset = Message.objects.all()
    table_class = tables.MessageStatisticsTable
    filterset_class = filtersets.MessageStatisticsFilterSet
    template_name = "interaction/statistics.html"
    title = "网民留言办理统计"

    def rows(self, filterset):
        start, end, _ = filterset.chosen_period
        return unit_figures(filterset.qs, start, end)

    def get_table_data(self):
        return self.rows(self.filterset) if self.filterset.is_valid() else []

    def export(self, fmt: str):
        filterset = self.get_filterset(self.get_filterset_class())
        if not filterset.is_valid():
            raise Http404("筛选条件无效")
        table = self.table_class(self.rows(filterset), request=self.request)
        RequestConfig(self.request, paginate=False).configure(table)
        rows = [*table.as_values(), table.total_row()]
        stem = f"{self.title}-{filterset.chosen_period[2]}"
        return export_response(fmt, stem, self.title, rows)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.filterset.is_valid():
            start, end, label = self.filterset.chosen_period
            context["period"] = label
            counted = received(self.filterset.qs, start, end, timezone.localdate())
            years = counted.unconfirmed_years()
            if years:
                context["provisional_note"] = missing_schedule_note(years)
        return context


# Channels


class ChannelListView(ObjectListView):
    queryset = Channel.objects.select_related("website", "region")
    table_class = tables.ChannelTable
    filterset_class = filtersets.ChannelFilterSet
    title = "留言渠道"
    export_stem = "留言渠道"
    add_permission = "interaction.add_channel"
    add_url_name = "interaction:channel_add"

    def get_queryset(self):
        return tables.ChannelTable.annotate(super().get_queryset(), self.request.user)


class ChannelView(ObjectDetailView):
    queryset = Channel.objects.select_related("website", "region")
    detail_fields = ["name", "kind", "reply_days", "website", "region"]
    list_url_name = "interaction:channel_list"
    edit_permission = "interaction.change_channel"
    edit_url_name = "interaction:channel_edit"


class ChannelCreateView(ObjectCreateView):
    model = Channel
    form_class = forms.ChannelForm
    permission_required = "interaction.add_channel"


class ChannelEditView(ObjectEditView):
    queryset = Channel.objects.all()
    form_class = forms.ChannelForm
    permission_required = "interaction.change_channel"

    def get_queryset(self):
        return self.queryset.editable_by(self.request.user)


# The holiday table (节假日调整). It applies to every region, so admins read it and only the
# office that runs the portal (an admin of the top region, or a superuser) changes it.


def may_change_holidays(user, permission: str) -> bool:
    return runs_the_portal(user) and user.has_perm(permission)


class HolidayEditMixin(PermissionRequiredMixin):
    raise_exception = True

    def has_permission(self) -> bool:
        return all(may_change_holidays(self.request.user, p) for p in self.get_permission_required())


class HolidayListView(PermissionRequiredMixin, HolidayReminderMixin, ObjectListView):
    permission_required = "interaction.view_holidayoverride"
    raise_exception = True
    queryset = HolidayOverride.objects.all()
    table_class = tables.HolidayOverrideTable
    filterset_class = filtersets.HolidayOverrideFilterSet
    template_name = "interaction/holiday_list.html"
    title = "节假日调整"
    export_stem = "节假日调整"
    add_permission = "interaction.add_holidayoverride"
    add_url_name = "interaction:holiday_add"

    def get_table_kwargs(self):
        return {"can_edit": may_change_holidays(self.request.user,
                                                "interaction.change_holidayoverride")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_add"] = may_change_holidays(user, self.add_permission)
        context["can_confirm"] = may_change_holidays(user, "interaction.add_holidayyear")
        context["schedule_years"] = schedule_years(timezone.localdate())
        context["library_years"] = LIBRARY_YEARS
        return context


class HolidayView(PermissionRequiredMixin, ObjectDetailView):
    permission_required = "interaction.view_holidayoverride"
    raise_exception = True
    queryset = HolidayOverride.objects.all()
    template_name = "interaction/holiday_detail.html"
    detail_fields = ["day", "is_working_day", "note"]
    list_url_name = "interaction:holiday_list"
    edit_permission = "interaction.change_holidayoverride"
    edit_url_name = "interaction:holiday_edit"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_edit"] = may_change_holidays(user, self.edit_permission)
        context["can_delete"] = may_change_holidays(user, "interaction.delete_holidayoverride")
        return context


class HolidayCreateView(HolidayEditMixin, ObjectCreateView):
    model = HolidayOverride
    form_class = forms.HolidayOverrideForm
    permission_required = "interaction.add_holidayoverride"


class HolidayEditView(HolidayEditMixin, ObjectEditView):
    queryset = HolidayOverride.objects.all()
    form_class = forms.HolidayOverrideForm
    permission_required = "interaction.change_holidayoverride"


class HolidayDeleteView(HolidayEditMixin, ScopedQuerysetMixin, DeleteView):
    queryset = HolidayOverride.objects.all()
    permission_required = "interaction.delete_holidayoverride"
    template_name = "interaction/holiday_confirm_delete.html"
    success_url = reverse_lazy("interaction:holiday_list")

    def form_valid(self, form):
        messages.success(self.request, f"已删除：{self.object}，相关留言的办理期限已重新计算。")
        return super().form_valid(form)


class HolidayYearConfirmView(HolidayEditMixin, View):
    """确认YYYY年节假日安排已录入完毕: the year's deadlines stop being provisional."""

    permission_required = "interaction.add_holidayyear"
    http_method_names = ["post"]

    def post(self, request):
        form = forms.HolidayYearForm(request.POST)
        if not form.is_valid():
            messages.error(request, "年度无效。")
            return redirect("interaction:holiday_list")
        year = form.cleaned_data["year"]
        if year in LIBRARY_YEARS:
            messages.error(request, f"{year}年的节假日安排由 chinesecalendar 提供，无需确认。")
        elif not HolidayOverride.objects.filter(day__year=year).exists():
            messages.error(request, f"尚未录入{year}年的任何节假日调整，"
                                    "请先录入国务院办公厅公布的安排再确认。")
        else:
            HolidayYear.objects.get_or_create(year=year, defaults={"confirmed_by": request.user})
            messages.success(request, f"已确认{year}年节假日安排录入完毕，相关留言的办理期限已重新计算。")
        return redirect("interaction:holiday_list")


class HolidayYearWithdrawView(HolidayEditMixin, View):
    """Take back a confirmation made too early: the year's deadlines are provisional again."""

    permission_required = "interaction.delete_holidayyear"
    http_method_names = ["post"]

    def post(self, request, year: int):
        get_object_or_404(HolidayYear, year=year).delete()
        messages.success(request, f"已撤销{year}年节假日安排的确认，相关留言的办理期限重新标为暂定。")
        return redirect("interaction:holiday_list")
