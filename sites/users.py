"""Who may manage which users: the rules behind the portal's user pages.

Scope decides which users an admin sees at all (User.objects.visible_to); these rules
decide what an admin may do to the users they see, so that managing users can never widen
anyone's powers: roles are the four groups, places are within the admin's own scope,
superusers and staff are made by system administrators only, and no admin locks themselves out.
"""

from __future__ import annotations

from django.contrib.auth.models import Group

from .models import Region, Unit, User
from .roles import Role


def role_groups():
    """The groups a user may be given: exactly the four roles."""
    return Group.objects.filter(name__in=Role.values).order_by("pk")


def role_of(user: User) -> Group | None:
    return next((g for g in user.groups.all() if g.name in Role.values), None)


def assignable_regions(editor: User):
    """Regions the editor may place a user in. A unit's admin may place people only in
    units: a region would give them the whole region, wider than the admin's own scope."""
    if editor.unit_id and not editor.is_superuser:
        return Region.objects.none()
    return Region.objects.visible_to(editor)


def assignable_units(editor: User):
    return Unit.objects.visible_to(editor).select_related("region")


def can_edit(editor: User, target: User) -> bool:
    """Superusers are managed by superusers only (in the portal or in /admin/)."""
    return editor.has_perm("sites.change_user") and (editor.is_superuser or not target.is_superuser)


def lockout_errors(editor: User, target: User, *, is_active: bool, role: Group | None,
                   region: Region | None, unit: Unit | None) -> dict[str, str]:
    """Changes an admin may not make to their own account, since nobody within their scope
    could undo them: deactivating it, giving up the 管理员 role, moving it elsewhere."""
    if target.pk is None or editor.pk != target.pk:
        return {}
    errors = {}
    if not is_active:
        errors["is_active"] = "不能停用自己的账号：停用后将无法登录。请由其他管理员办理。"
    if editor.is_superuser:
        return errors
    if role is None or role.name != Role.ADMIN:
        errors["role"] = "不能取消自己的管理员角色：取消后将无法再管理用户。请由上级管理员办理。"
    if _pk(region) != target.region_id or _pk(unit) != target.unit_id:
        errors["region"] = "不能修改自己的所属地区或单位：修改后可能无法改回。请由上级管理员办理。"
    return errors


def _pk(obj) -> int | None:
    return obj.pk if obj is not None else None
