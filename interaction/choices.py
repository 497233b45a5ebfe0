from django.db import models


class ChannelKind(models.TextChoices):
    NATIONAL = "national", "国家级平台"
    PROVINCIAL = "provincial", "省级平台"
    PORTAL = "portal", "网站互动栏目"


class MessageStatus(models.TextChoices):
    """办理状态 as offices record it; a message with a reply date is always 已办结."""

    HANDLED = "handled", "已办结"
    IN_PROGRESS = "in_progress", "办理中"
    UNHANDLED = "unhandled", "未办理"
