"""The four roles (Django groups) and the model permissions each one holds.

Roles say what a user may do; scope (common.scope) says to which rows. Apps added later
extend ROLE_PERMISSIONS; `sync_roles` runs after every migrate, so groups stay current.
"""

from django.db import models


class Role(models.TextChoices):
    ADMIN = "管理员"
    INSPECTOR = "检查员"
    LIAISON = "联络员"
    LEADER = "领导"


DIRECTORY_MODELS = ["sites.region", "sites.unit", "sites.website", "newmedia.account"]


def _perms(models_: list[str], actions: tuple[str, ...]) -> list[str]:
    return [f"{m.split('.')[0]}.{a}_{m.split('.')[1]}" for m in models_ for a in actions]


INSPECTION_MODELS = ["inspections.scheme", "inspections.inspection", "inspections.assessment",
                     "inspections.finding", "reports.circular", "reports.officeprofile"]
SCORING_MODELS = ["inspections.assessment", "inspections.finding"]
ALL_ACTIONS = ("view", "add", "change", "delete")

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.ADMIN: [*_perms(DIRECTORY_MODELS + INSPECTION_MODELS, ALL_ACTIONS),
                 "sites.view_user", "sites.add_user", "sites.change_user"],
    # Inspectors score the checks they are assigned (Inspection.can_score narrows it).
    Role.INSPECTOR: [*_perms(DIRECTORY_MODELS + INSPECTION_MODELS, ("view",)),
                     *_perms(SCORING_MODELS, ("add", "change"))],
    Role.LIAISON: [*_perms([*DIRECTORY_MODELS, "inspections.scheme", "inspections.assessment",
                            "inspections.finding", "reports.circular"], ("view",)),
                   "reports.add_receipt"],
    Role.LEADER: _perms(DIRECTORY_MODELS + INSPECTION_MODELS, ("view",)),
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
