"""A target's record across quarters, for the website and account detail pages."""

from django import template

from ..models import Assessment, Finding

register = template.Library()


@register.inclusion_tag("inspections/_target_record.html", takes_context=True)
def target_record(context, target):
    user = context["request"].user
    field = "website" if target._meta.model_name == "website" else "account"
    assessments = (
        Assessment.objects.visible_to(user).filter(**{field: target})
        .select_related("inspection").order_by("-inspection__year", "-inspection__quarter")
    )
    findings = (
        Finding.objects.visible_to(user).filter(**{f"assessment__{field}": target})
        .select_related("indicator", "assessment__inspection").prefetch_related("screenshots")
        .order_by("-assessment__inspection__year", "-assessment__inspection__quarter", "pk")
    )
    return {"assessments": assessments, "findings": findings}
