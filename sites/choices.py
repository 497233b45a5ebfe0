from django.db import models

from common.models import RUNNING


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县"

    @classmethod
    def below(cls, level: str | None) -> str | None:
        """The level right under `level` (the top for None); None under a 县."""
        order = list(cls.values)
        index = 0 if level is None else order.index(level) + 1
        return order[index] if index < len(order) else None

    @classmethod
    def is_below(cls, level: str, parent_level: str) -> bool:
        order = list(cls.values)
        return order.index(level) > order.index(parent_level)


class WebsiteKind(models.TextChoices):
    PORTAL = "portal", "门户网站"
    DEPARTMENT = "department", "部门网站"


class WebsiteStatus(models.TextChoices):
    RUNNING = RUNNING, "运行"
    CLOSED = "closed", "关停"
