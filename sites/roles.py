"""The four roles (Django groups) and the permissions each one holds, in one table.

Roles say what a user may do; scope (common.scope) says to which rows. `sync_roles` runs
after every migrate, so the groups always hold exactly what this table says.
"""

from django.db import models


class Role(models.TextChoices):
    ADMIN = "管理员"
    INSPECTOR = "检查员"
    LIAISON = "联络员"
    LEADER = "领导"


ALL = ("view", "add", "change", "delete")
VIEW = ("view",)

# The office's own data: admins manage it, inspectors and leaders read it.
OFFICE_MODELS = [
    "sites.region", "sites.unit", "sites.website", "newmedia.account",
    "newmedia.reconciliation", "newmedia.reconciliationdifference",
    "inspections.scheme", "inspections.inspection", "inspections.assessment",
    "inspections.finding", "inspections.campaign", "inspections.rectificationtask",
    "reports.circular", "reports.officeprofile", "reports.handling",
    "interaction.channel", "interaction.message",
    "assessment.scheme", "assessment.item", "assessment.assessmentyear",
    "assessment.officeassessment", "assessment.annualreport",
]
# What a county or department contact reads about their own region or unit.
LIAISON_READS = [
    "sites.region", "sites.unit", "sites.website", "newmedia.account", "inspections.scheme",
    "inspections.assessment", "inspections.finding", "inspections.rectificationtask",
    "reports.circular", "reports.handling", "interaction.channel", "interaction.message",
    "assessment.annualreport", "assessment.officeassessment",
]


def _perms(names: list[str], actions: tuple[str, ...]) -> list[str]:
    return [f"{n.split('.')[0]}.{a}_{n.split('.')[1]}" for n in names for a in actions]


ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.ADMIN: [
        *_perms(OFFICE_MODELS, ALL),
        *_perms(["interaction.holidayoverride", "interaction.holidayyear"], ALL),
        "sites.view_user", "sites.add_user", "sites.change_user",
        "assessment.lock_assessmentyear", "assessment.remind_annualreport",
    ],
    # Inspectors score the checks they are assigned (Inspection.can_score narrows it) and
    # review rectification (accept or return a task).
    Role.INSPECTOR: [
        *_perms(OFFICE_MODELS, VIEW),
        *_perms(["inspections.assessment", "inspections.finding"], ("add", "change")),
        "inspections.change_rectificationtask",
    ],
    # Liaisons report on their own tasks, acknowledge and record circulars, file 年度报表.
    Role.LIAISON: [
        *_perms(LIAISON_READS, VIEW),
        "inspections.add_evidence", "reports.add_receipt", "reports.add_handling",
        "reports.change_handling", "assessment.change_annualreport",
    ],
    Role.LEADER: _perms(OFFICE_MODELS, VIEW),
}


def sync_roles(**kwargs) -> None:
    """Create the role groups and give each exactly its permissions."""
    from django.contrib.auth.models import Group, Permission

    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = {tuple(name.split(".")) for name in names}
        perms = [
            p for p in Permission.objects.select_related("content_type")
            if (p.content_type.app_label, p.codename) in wanted
        ]
        group.permissions.set(perms)
