import django_tables2 as tables
from django.db.models import Count, Exists, OuterRef

from .choices import CheckStatus
from .models import Inspection, Scheme
from .scheme_import import plain


class PointsColumn(tables.Column):
    """Points as offices write them (60, 4.5); exports keep a number."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "num"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return plain(value)

    def value(self, value):
        return int(value) if value == int(value) else float(value)


class YesNoColumn(tables.BooleanColumn):
    """是 / 否 on the page and in exports (django-tables2 would export True / False)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, yesno="是,否", **kwargs)

    def value(self, record, value, bound_column):
        return self.yesno[0] if self._get_bool_value(record, value, bound_column) else self.yesno[1]


class SchemeTable(tables.Table):
    name = tables.Column(linkify=True)
    pass_mark = PointsColumn()
    bonus_threshold = PointsColumn()
    is_default = YesNoColumn()
    indicator_count = tables.Column("指标数", attrs={"td": {"class": "num"}})
    locked = YesNoColumn(verbose_name="已锁定")

    class Meta:
        model = Scheme
        fields = ["name", "target", "pass_mark", "bonus_threshold", "is_default", "indicator_count",
                  "locked"]

    @staticmethod
    def annotate(queryset):
        """The counts and the lock in the list's one query (Scheme.is_locked per row)."""
        closed = Inspection.objects.filter(scheme=OuterRef("pk"), status=CheckStatus.CLOSED)
        return queryset.annotate(indicator_count=Count("indicators"), locked=Exists(closed)).order_by(
            *Scheme._meta.ordering  # a GROUP BY query drops the model's default ordering
        )
