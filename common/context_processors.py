from sites.roles import Role


def navigation(request):
    """Which menu entries the signed-in user's role calls for."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "is_admin": user.has_role(Role.ADMIN),
            "is_inspector": user.has_role(Role.INSPECTOR),
            "is_liaison": user.has_role(Role.LIAISON),
            "roles": "、".join(sorted(user.role_names)) or ("超级管理员" if user.is_superuser else ""),
        }
    }
