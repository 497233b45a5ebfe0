from django.db import models


class Target(models.TextChoices):
    WEBSITES = "websites", "政府网站"
    NEWMEDIA = "newmedia", "政务新媒体"


class IndicatorKind(models.TextChoices):
    VETO = "veto", "单项否决"
    DEDUCTION = "deduction", "扣分"
    BONUS = "bonus", "加分"


class CheckMode(models.TextChoices):
    FULL = "full", "全覆盖"
    SAMPLE = "sample", "抽查"


class CheckStatus(models.TextChoices):
    DRAFT = "draft", "准备中"
    SCORING = "scoring", "评分中"
    CLOSED = "closed", "已结束"


QUARTERS = [(1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")]
QUARTER_WORDS = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}


class TaskState(models.TextChoices):
    OPEN = "open", "待整改"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已通过"


class TaskAction(models.TextChoices):
    OPENED = "opened", "下发"
    SUBMITTED = "submitted", "提交整改情况"
    RETURNED = "returned", "退回"
    ACCEPTED = "accepted", "审核通过"
    FILE_ADDED = "file_added", "上传佐证材料"
    FILE_REMOVED = "file_removed", "删除佐证材料"
    DEADLINE = "deadline", "调整整改期限"
