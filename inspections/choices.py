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
