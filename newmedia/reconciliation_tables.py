import django_tables2 as tables
from django.db.models import Count, Q
from django.utils.html import format_html

from .models import Reconciliation, ReconciliationDifference


class ReconciliationTable(tables.Table):
    name = tables.Column(linkify=True)
    region = tables.Column(order_by="region__path")
    left_count = tables.Column(attrs={"td": {"class": "num"}})
    right_count = tables.Column(attrs={"td": {"class": "num"}})
    difference_count = tables.Column("差异数", attrs={"td": {"class": "num"}})
    listed_count = tables.Column("已下发整改", attrs={"td": {"class": "num"}})
    created_at = tables.DateTimeColumn(format="Y-m-d H:i")
    created_by = tables.Column()

    class Meta:
        model = Reconciliation
        fields = ["name", "region", "left_label", "left_file", "left_count", "right_label",
                  "right_file", "right_count", "difference_count", "listed_count", "created_at",
                  "created_by"]

    @staticmethod
    def annotate(queryset):
        return queryset.annotate(
            difference_count=Count("differences"),
            listed_count=Count("differences", filter=Q(differences__campaign_item__isnull=False)),
        ).order_by("-created_at", "-pk")


class ReconciliationDifferenceTable(tables.Table):
    """The differences of one reconciliation; the value columns are headed by its sources."""

    select = tables.Column("选择", accessor="pk", orderable=False, exclude_from_export=True)
    kind = tables.Column()
    region = tables.Column(order_by="region__path")
    # The responsible unit where the directory knows it, else the unit the list names.
    unit = tables.Column("主办单位", accessor="pk", order_by=("unit__name", "unit_name"))
    matched_account = tables.Column("名录中的账号", linkify=True, orderable=False)
    task = tables.Column("整改任务", accessor="campaign_item", orderable=False)

    class Meta:
        model = ReconciliationDifference
        fields = ["select", "kind", "platform", "name", "account_id", "region", "unit",
                  "left_value", "right_value", "description", "matched_account", "task", "note"]
        row_attrs = {"class": lambda record: "" if record.can_become_task else "muted"}

    reconciliation: Reconciliation

    @classmethod
    def for_reconciliation(cls, reconciliation: Reconciliation) -> type:
        """The table class of one reconciliation: ObjectListView builds its export from the
        class alone, so the sources that head the columns travel with the class."""
        return type(cls.__name__, (cls,), {"reconciliation": reconciliation, "Meta": cls.Meta})

    def __init__(self, *args, can_open=False, can_register=False, **kwargs):
        """`can_open`: a difference with a directory account may be ticked to open its task;
        `can_register`: one without may be ticked to register its account."""
        super().__init__(*args, **kwargs)
        self.can_open, self.can_register = can_open, can_register
        self.columns["left_value"].column.verbose_name = self.reconciliation.left_label
        self.columns["right_value"].column.verbose_name = self.reconciliation.right_label

    def render_select(self, record):
        if record.campaign_item_id:
            return "已下发"
        if not (self.can_open if record.can_become_task else self.can_register):
            return format_html('<span title="{}">—</span>', (
                "已有名录中的账号，可由有权限者下发整改任务" if record.can_become_task
                else "名录中没有该账号，需先登记到名录才能下发整改任务"
            ))
        return format_html(
            '<input type="checkbox" name="differences" value="{}" form="tasks-form" '
            'aria-label="选择 {}（{}）">', record.pk, record.name, record.get_platform_display(),
        )

    def render_kind(self, record):
        return self.reconciliation.kind_label(record.kind)

    def value_kind(self, record):
        return self.reconciliation.kind_label(record.kind)

    def render_unit(self, record):
        return self.value_unit(record) or "—"

    def value_unit(self, record):
        return record.unit.name if record.unit_id else record.unit_name

    def render_task(self, record):
        task = getattr(record.campaign_item, "task", None)
        return task.get_state_display() if task else "已列入专项核查"

    def value_task(self, record):
        return self.render_task(record) if record.campaign_item_id else ""
