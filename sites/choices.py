from django.db import models

from common.models import RUNNING


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县"


class WebsiteKind(models.TextChoices):
    PORTAL = "portal", "门户网站"
    DEPARTMENT = "department", "部门网站"


class WebsiteStatus(models.TextChoices):
    RUNNING = RUNNING, "运行"
    CLOSED = "closed", "关停"
