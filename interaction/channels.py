"""The two channels every office has (seed 001: “对国务院办公厅和省政府办公厅平台留言要在3个
工作日内办结”), created after a migrate or flush that leaves no channel at all. Portal
columns such as 百姓信箱 are each office's own and are added in the portal."""

SHARED_CHANNELS = [
    {"name": "我为政府网站找错", "kind": "national", "reply_days": 3},
    {"name": "省政府网站曝光平台", "kind": "provincial", "reply_days": 3},
]


def ensure(**kwargs) -> None:
    from .models import Channel

    if not Channel.objects.exists():
        Channel.objects.bulk_create(Channel(**item) for item in SHARED_CHANNELS)
