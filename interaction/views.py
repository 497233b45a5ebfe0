"""政民互动 pages: messages (list, detail, edit, import), the per-unit statistics of a
quarter, and the channels."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from common.export import EXPORT_FORMATS, export_response
from common.imports import WorkbookImportView
from common.views import ObjectCreateView, ObjectDetailView, ObjectEditView, ObjectListView
from inspections.choices import QUARTER_WORDS
from inspections.formatting import percent

from . import filtersets, forms, tables
from .message_import import import_messages
from .message_import import template as messages_template
from .models import Channel, Message
from .statistics import FIGURE_LABELS, Figures, quarter_dates, unit_figures

# Messages


class MessageListView(ObjectListView):
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
        context["state"] = self.object.state_label(timezone.localdate())
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

STATISTICS_HEADER = ["所属地区", "所属单位", *FIGURE_LABELS.values(), "按时回复率"]


def _figure_cells(counted: Figures) -> list:
    return [*(getattr(counted, name) for name in FIGURE_LABELS),
            percent(counted.on_time, counted.received)]


class MessageStatisticsView(TemplateView):
    """Per unit, the messages received in a quarter and how they were handled, within the
    user's scope (and the chosen region); `?export=xlsx|csv` downloads the same table."""

    template_name = "interaction/statistics.html"

    def get(self, request, *args, **kwargs):
        form = forms.StatisticsForm(request.GET, user=request.user)
        fmt = request.GET.get("export")
        if not form.is_valid():
            if fmt in EXPORT_FORMATS:
                raise Http404("筛选条件无效")
            return self.render_to_response(self.get_context_data(form=form))
        year, quarter, region = (form.cleaned_data[k] for k in ("year", "quarter", "region"))
        messages = Message.objects.visible_to(request.user)
        if region is not None:
            messages = messages.within(region)
        rows = unit_figures(messages, *quarter_dates(year, quarter))
        total = sum((row.figures for row in rows), Figures())
        period = f"{year}年第{QUARTER_WORDS[quarter]}"
        if fmt in EXPORT_FORMATS:
            table = [STATISTICS_HEADER,
                     *([row.region_name, row.unit_name, *_figure_cells(row.figures)] for row in rows),
                     ["合计", "", *_figure_cells(total)]]
            return export_response(fmt, f"网民留言办理统计-{period}", "网民留言办理统计", table)
        return self.render_to_response(self.get_context_data(
            form=form, period=period, total=_figure_cells(total), header=STATISTICS_HEADER,
            rows=[(row, _figure_cells(row.figures)) for row in rows],
            export_query=request.GET.urlencode(),
        ))

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="网民留言办理统计", **kwargs)


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
