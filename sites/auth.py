"""Authentication that loads the signed-in user with their scope in one query."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ScopedModelBackend(ModelBackend):
    """Every page asks for the user's region or unit (scope): fetch them with the user."""

    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related(
            "region", "unit__region").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
