"""What a new circular starts with: from the office profile where the admins set one, else
from the top region itself (咸宁市 → 咸宁市人民政府办公室, 全市, 市直), so that a circular can
be rendered right after a directory and results import into a fresh database."""

from __future__ import annotations

from dataclasses import dataclass

from sites.models import Region

from .models import OfficeProfile

DEFAULT_REQUIREMENTS = [
    "（一）切实加强信息发布和运维管理工作。严格落实“三审”制度，对发布的信息先审后发，"
    "加强对敏感信息的审核，及时发现和纠正错漏信息，确保发布内容准确、表述规范。",
    "（二）及时整改检查发现的问题。各地各部门要对照本通报指出的问题逐项整改，"
    "并按时限通过本平台报送整改情况。",
    "（三）持续加强政府系统政务新媒体常态化监管。严格落实分级备案制度，"
    "坚决清理注销“空壳”“僵尸”账号，并及时在“全国政务新媒体信息报送系统”中关停。",
]


@dataclass(frozen=True)
class OfficeDefaults:
    office_name: str
    doc_prefix: str
    addressees: str
    contact: str
    cc: str
    printer: str
    requirements: str


def top_region() -> Region | None:
    return Region.objects.filter(parent=None).order_by("pk").first()


def office_defaults(region: Region) -> OfficeDefaults:
    profile = OfficeProfile.objects.filter(region=region).first()
    office = profile.office_name if profile else f"{region.name}人民政府办公室"
    return OfficeDefaults(
        office_name=office,
        doc_prefix=profile.doc_prefix if profile else f"{region.name[0]}政办",
        addressees=(profile and profile.addressees) or default_addressees(region),
        contact=profile.contact if profile else "",
        cc=profile.cc if profile else "",
        printer=(profile and profile.printer) or office,
        requirements=(profile and profile.requirements) or "\n".join(DEFAULT_REQUIREMENTS),
    )


def default_addressees(region: Region) -> str:
    """各县（市）人民政府，州直有关部门 — from the kinds of regions below."""
    kinds = [k for k in ("县", "市", "区") if any(
        child.name.endswith(k) for child in region.children.all())]
    if kinds:
        lower = kinds[0] + (f"（{'、'.join(kinds[1:])}）" if len(kinds) > 1 else "")
        return f"各{lower}人民政府，{region.direct_label}有关部门"
    return f"{region.direct_label}有关部门"
