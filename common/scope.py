"""The one scoping mechanism: every queryset a view, export or download uses goes through
`visible_to(user)`, which limits it to the user's region subtree or unit subtree."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

NOTHING = Q(pk__in=[])


def scope_q(user, region_lookup: str, unit_lookup: str | None) -> Q:
    """The filter for rows a user may see.

    `region_lookup` leads from the model to its Region ("" for Region itself,
    "unit__region__" for a website); `unit_lookup` leads to its Unit ("unit__"), or is None
    for models that hang off a region only.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return Q()
    if user.unit_id:
        if unit_lookup is None:
            return Q(**{f"{region_lookup}pk": user.unit.region_id})
        return Q(**{f"{unit_lookup}path__startswith": user.unit.path})
    if user.region_id:
        return Q(**{f"{region_lookup}path__startswith": user.region.path})
    return NOTHING


class ScopedQuerySet(models.QuerySet):
    """Subclasses name the lookups from their model to its region and unit."""

    region_lookup = "unit__region__"
    unit_lookup: str | None = "unit__"

    def visible_to(self, user):
        return self.filter(scope_q(user, self.region_lookup, self.unit_lookup))

    def within(self, region):
        """Rows in `region` or any region below it."""
        return self.filter(**{f"{self.region_lookup}path__startswith": region.path})


class SharedQuerySet(models.QuerySet):
    """Reference data (indicator schemes) that every signed-in user may read."""

    def visible_to(self, user):
        return self if user.is_authenticated and user.is_active else self.none()
