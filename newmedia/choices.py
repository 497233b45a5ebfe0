from django.db import models

from common.models import RUNNING


class Platform(models.TextChoices):
    WECHAT = "wechat", "微信公众号"
    WEIBO = "weibo", "微博"
    DOUYIN = "douyin", "抖音"
    TOUTIAO = "toutiao", "今日头条"
    KUAISHOU = "kuaishou", "快手"
    MINI_PROGRAM = "miniprogram", "小程序"
    APP = "app", "客户端"
    OTHER = "other", "其他"


# The names offices write in their registers (spec §1), and the platform each one means.
PLATFORM_ALIASES: dict[str, str] = {
    "微信": Platform.WECHAT,
    "微信公众号": Platform.WECHAT,
    "微信订阅号": Platform.WECHAT,
    "微信服务号": Platform.WECHAT,
    "微博": Platform.WEIBO,
    "新浪微博": Platform.WEIBO,
    "抖音": Platform.DOUYIN,
    "抖音短视频": Platform.DOUYIN,
    "今日头条": Platform.TOUTIAO,
    "头条号": Platform.TOUTIAO,
    "快手": Platform.KUAISHOU,
    "小程序": Platform.MINI_PROGRAM,
    "客户端": Platform.APP,
    "app": Platform.APP,
    "客户端(app)": Platform.APP,
    "其他": Platform.OTHER,
}

# A WeChat alias that also says the account type fills 账号类型 when it is empty.
ALIAS_ACCOUNT_TYPES = {"微信订阅号": "订阅号", "微信服务号": "服务号"}


def platform_from_name(name: str) -> str | None:
    """The platform an office's name means, or None when the name is unknown."""
    key = name.strip().replace("（", "(").replace("）", ")").lower()
    return PLATFORM_ALIASES.get(key)


class Filing(models.TextChoices):
    FILED = "filed", "已备案"
    UNFILED = "unfiled", "未备案"


class AccountStatus(models.TextChoices):
    RUNNING = RUNNING, "运行"
    SUSPENDED = "suspended", "关停"
    CANCELLED = "cancelled", "注销"
