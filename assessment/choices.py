from django.db import models


class ReportKind(models.TextChoices):
    """The two annual reports (年度报表) of 国办 rules: one per website, one per supervising office."""

    WEBSITE = "website", "政府网站工作年度报表"
    SUPERVISION = "supervision", "政府网站监管年度报表"


class ReportState(models.TextChoices):
    DONE = "done", "已完成"
    OVERDUE = "overdue", "逾期未完成"
    PENDING = "pending", "未到期"


class AutoSource(models.TextChoices):
    """Items the portal fills from its own data (assessment.providers holds the functions)."""

    QUARTERLY_CHECKS = "quarterly_checks", "季度检查（本平台检查批次）"
    CIRCULARS = "circulars", "检查情况通报（本平台已签发通报）"
    ANNUAL_REPORTS = "annual_reports", "年度报表按时发布（本平台年度报表任务）"
    MESSAGES_UNHANDLED = "messages_unhandled", "“我为政府网站找错”留言未办结（政民互动）"
    MESSAGES_LATE = "messages_late", "“我为政府网站找错”留言办结超过一个月（政民互动）"
