"""Whom an issued circular is addressed to (主送机关), and who signs (签收) for each addressee.

A circular goes to “各县（市）人民政府，州直有关部门”:

- each region directly below the issuing one: its government signs, through a liaison scoped to
  that very region, who also records the county's 公文处理笺;
- each unit of the issuing region that had targets in the circular's checks (a 州直 department
  whose websites or accounts were checked), the issuing office itself excepted: it signs through
  a liaison scoped to that unit.

Issuing records these addressees (IssuedAddressee): an issued circular keeps them whatever
later happens to the directory or the checks.

Everyone else the circular reaches reads it without signing: a contact of a county's department
reads it as addressed to the county (the county signs), a contact of a department's sub-unit as
addressed to the department, a town's contact as addressed to its county.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from inspections.models import Assessment
from sites.models import Region, Unit

from .choices import CircularStatus
from .models import Circular, IssuedAddressee


@dataclass(frozen=True)
class Addressee:
    """A county (region) or a 州直 department (unit) the circular is addressed to."""

    region: Region | None = None
    unit: Unit | None = None

    def __str__(self) -> str:
        return str(self.region or self.unit)

    @property
    def key(self) -> tuple[int | None, int | None]:
        """(region id, unit id), as a Receipt names its addressee."""
        return (self.region.pk if self.region else None, self.unit.pk if self.unit else None)

    @property
    def receipt_lookup(self) -> dict:
        """The Receipt fields that name this addressee."""
        return {"region": self.region} if self.region else {"unit": self.unit}

    def signs_through(self, user) -> bool:
        """Whether `user` signs for it: a user scoped to this region, or to this unit."""
        if self.region is not None:
            return user.unit_id is None and user.region_id == self.region.pk
        return user.unit_id == self.unit.pk


def addressed_units(circular: Circular) -> list[Unit]:
    """The departments of the circular's own region with targets in its checks, each taken at
    the top of its tree within the region (a sub-unit's targets make its department addressed)."""
    checks = [pk for pk in (circular.website_inspection_id, circular.newmedia_inspection_id) if pk]
    paths = set(Assessment.objects.filter(inspection_id__in=checks, unit__region=circular.region)
                .values_list("unit__path", flat=True))
    ids = {int(pk) for path in paths for pk in path.strip("/").split("/")}
    in_region = {unit.pk: unit for unit in Unit.objects.filter(pk__in=ids, region=circular.region)}
    tops = {next(in_region[int(pk)] for pk in path.strip("/").split("/") if int(pk) in in_region)
            for path in paths}
    return sorted((unit for unit in tops if unit.name != circular.office_name), key=lambda u: u.name)


def addressees(circular: Circular) -> list[Addressee]:
    """The counties, then the departments: those an issued circular was issued to, those a
    draft would go to now."""
    if circular.is_issued:
        rows = circular.issued_addressees.select_related("region", "unit")
        return [Addressee(region=row.region, unit=row.unit) for row in rows]
    return _current_addressees(circular)


def _current_addressees(circular: Circular) -> list[Addressee]:
    return [*(Addressee(region=region) for region in circular.regions_below()),
            *(Addressee(unit=unit) for unit in addressed_units(circular))]


def freeze_addressees(circular: Circular) -> None:
    """Record whom the circular is issued to, as issuing does (inside its transaction)."""
    IssuedAddressee.objects.bulk_create(
        IssuedAddressee(circular=circular, region=a.region, unit=a.unit, position=index)
        for index, a in enumerate(_current_addressees(circular))
    )


def addressee_of(circular: Circular, user) -> Addressee | None:
    """The addressee through which the user receives the circular, whether or not they sign
    for it; None for the issuing region's own office staff and for anyone outside it."""
    region = user.unit.region if user.unit_id else user.region
    if region is None or not region.is_within(circular.region):
        return None
    if region.pk != circular.region_id:
        ids = region.ancestors_and_self_ids()
        return Addressee(region=Region.objects.get(pk=ids[ids.index(circular.region_id) + 1]))
    if not user.unit_id:
        return None
    return next((a for a in addressees(circular) if a.unit and user.unit.is_within(a.unit)), None)


def signatory_for(circular: Circular, user) -> Addressee | None:
    """The addressee the user signs (签收) for, if any: one of the circular's addressees,
    signed for by a user scoped to that very region or unit."""
    return next((a for a in addressees(circular) if a.signs_through(user)), None)


def handling_region(circular: Circular, user) -> Region | None:
    """The county whose 公文处理笺 the user records: the county government office's record,
    kept by a liaison scoped to the county, never by one of its departments."""
    addressee = signatory_for(circular, user)
    return addressee.region if addressee is not None else None


def circulars_to_sign(user) -> QuerySet[Circular]:
    """The issued circulars the user signs for and nobody has signed yet, in one query: those
    whose recorded addressees include the user's own region or unit (signatory_for's rule;
    the two are tested to agree)."""
    issued = Circular.objects.filter(status=CircularStatus.ISSUED)
    if user.unit_id:
        return issued.filter(issued_addressees__unit_id=user.unit_id).exclude(
            receipts__unit_id=user.unit_id)
    if user.region_id:
        return issued.filter(issued_addressees__region_id=user.region_id).exclude(
            receipts__region_id=user.region_id)
    return issued.none()
