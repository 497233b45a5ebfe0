import django_tables2 as tables
from django.db.models import Count, Q

from .models import Assessment, Inspection


class InspectionTable(tables.Table):
    name = tables.Column("检查", accessor="pk", linkify=True, order_by=("-year", "-quarter"))
    region = tables.Column(order_by="region__path")
    assessment_count = tables.Column("检查对象数", attrs={"td": {"class": "num"}})
    scored_count = tables.Column("已评分", attrs={"td": {"class": "num"}})
    failed_count = tables.Column("不合格", attrs={"td": {"class": "num"}})

    class Meta:
        model = Inspection
        fields = ["name", "region", "target", "mode", "window_start", "window_end", "status",
                  "population_size", "assessment_count", "scored_count", "failed_count", "scheme"]

    def render_name(self, record):
        return str(record)

    def value_name(self, record):
        return str(record)

    @staticmethod
    def annotate(queryset):
        return queryset.annotate(
            assessment_count=Count("assessments"),
            scored_count=Count("assessments", filter=Q(assessments__scored_at__isnull=False)),
            failed_count=Count("assessments", filter=Q(assessments__passed=False)),
        ).order_by("-year", "-quarter", "target")


class AssessmentTable(tables.Table):
    target = tables.Column("检查对象", accessor="pk", linkify=True,
                           order_by=("website__name", "account__name"))
    code = tables.Column("标识码/平台", accessor="pk", orderable=False)
    region = tables.Column("所属地区", accessor="unit__region__name", order_by="unit__region__path")
    unit = tables.Column(order_by="unit__name")
    assigned_to = tables.Column()
    total = tables.Column(attrs={"td": {"class": "num"}})
    conclusion = tables.Column("结论", accessor="passed")
    vetoed = tables.BooleanColumn(yesno="是,")
    scored_at = tables.DateTimeColumn(format="Y-m-d H:i")
    scored_by = tables.Column()
    remove = tables.TemplateColumn(template_name="inspections/_remove_target.html", verbose_name="",
                                   orderable=False, exclude_from_export=True)

    class Meta:
        model = Assessment
        fields = ["target", "code", "region", "unit", "assigned_to", "total", "vetoed",
                  "conclusion", "scored_at", "scored_by"]
        row_attrs = {"class": lambda record: "" if record.passed is not False else "row-fail"}

    def render_target(self, record):
        return str(record.target.name)

    def value_target(self, record):
        return str(record.target.name)

    def render_code(self, record):
        return record.website.site_code if record.website_id else record.account.get_platform_display()

    def value_code(self, record):
        return self.render_code(record)

    def render_conclusion(self, record):
        return record.conclusion

    def value_conclusion(self, record):
        return record.conclusion

    def value_total(self, value):
        return float(value) if value is not None else None
