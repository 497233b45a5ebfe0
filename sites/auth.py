"""Authentication that loads the signed-in user with their scope in one query, and their
permissions in one more."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class ScopedModelBackend(ModelBackend):
    """Every page asks for the user's region or unit (scope): fetch them with the user."""

    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related(
            "region", "unit__region").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        """The user's own and their roles' permissions in one query, where Django's backend
        takes two: every page asks (the menu), and pages' query counts are pinned."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            perms = Permission.objects.all() if user_obj.is_superuser else (
                Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj)).distinct())
            user_obj._perm_cache = {
                f"{app_label}.{codename}" for app_label, codename in
                perms.values_list("content_type__app_label", "codename").order_by()
            }
        return user_obj._perm_cache
