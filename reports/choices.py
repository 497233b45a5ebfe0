from django.db import models


class CircularStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已签发"


class FileFormat(models.TextChoices):
    HTML = "html", "HTML"
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel（附件表格）"
    DOCX = "docx", "Word"


class AnnexKind(models.TextChoices):
    WEBSITE_MATRIX = "website_matrix", "政府网站检查得分情况（分组得分表）"
    WEBSITE_RESULTS = "website_results", "政府网站检查情况（逐站结果）"
    FAILING_NEWMEDIA = "failing_newmedia", "不合格政务新媒体"
    REGION_SUMMARY = "region_summary", "各地区检查情况汇总"
    OPEN_CAMPAIGN_ITEMS = "open_campaign_items", "专项排查整治仍未整改问题账号"
    OPEN_FINDINGS = "open_findings", "上季度发现问题尚未整改清单"
    UNHANDLED_MESSAGES = "unhandled_messages", "政民互动平台留言未办理清单"


class JobKind(models.TextChoices):
    RENDER = "render", "生成文件"
    ISSUE = "issue", "签发"
