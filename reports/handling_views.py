"""公文处理笺: how an addressed region handled an issued circular. Its liaison records the
拟办意见, the 领导批示 and the 办理结果 and prints them as a one-page sheet; the office sees
every region's stage.

Scope: the sheet is the county government office's record. The region whose sheet a liaison
records is always the county they are scoped to and sign for (addressees.handling_region), never
a value from the request; a user scoped to a unit (a county's department, a 州直 department)
records and reads none. A sheet is read by users scoped to that county and by office staff
whose scope holds it; everyone else gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views import View

from common.export import EXPORT_FORMATS, export_response
from common.history import history_rows
from sites.models import Region

from .addressees import handling_region
from .choices import CircularStatus
from .handling_forms import BaseInstructionFormSet, HandlingForm, InstructionFormSet, loaded_stamp
from .models import Circular, Handling
from .sheets import FIT_SIZES_PT, instructions_of, render_sheet_pdf, sheet_context
from .tables import HandlingOverviewTable

STALE = ("保存失败：其他人刚刚修改了这份处理笺。您填写的内容仍在页面上，"
         "请在新窗口中打开本页核对后再保存。")


# Access -----------------------------------------------------------------------------------------

def issued_circular(user, pk: int) -> Circular:
    """An issued circular the user may see; 404 otherwise (a draft has no handling)."""
    circulars = Circular.objects.visible_to(user).filter(status=CircularStatus.ISSUED)
    return get_object_or_404(circulars.select_related("region"), pk=pk)


def readable_regions(circular: Circular, user):
    """The addressed regions whose sheets the user may read: their own, and any in their
    scope; none for a user scoped to a unit."""
    if user.unit_id:
        return circular.addressed_regions().none()
    own = handling_region(circular, user)
    in_scope = Q(pk__in=Region.objects.visible_to(user).values("pk"))
    return circular.addressed_regions().filter(in_scope | Q(pk__in=[own.pk] if own else []))


def handling_for(circular: Circular, region: Region) -> Handling:
    """The region's record, or a blank one (not saved) when it has recorded nothing yet."""
    handling = Handling.objects.filter(circular=circular, region=region).first()
    return handling or Handling(circular=circular, region=region)


def _readable_handling(request, pk: int, region: int) -> Handling:
    circular = issued_circular(request.user, pk)
    return handling_for(circular, get_object_or_404(readable_regions(circular, request.user),
                                                    pk=region))


# Views ------------------------------------------------------------------------------------------

class HandlingView(PermissionRequiredMixin, View):
    """The liaison's form for their own region's sheet."""

    permission_required = ("reports.add_handling", "reports.change_handling")
    raise_exception = True
    template_name = "reports/handling_form.html"

    def own_handling(self) -> Handling:
        self.circular = issued_circular(self.request.user, self.kwargs["pk"])
        region = handling_region(self.circular, self.request.user)
        if region is None:
            raise Http404("处理笺由通报所发县（市）的联络员填写。")
        return handling_for(self.circular, region)

    def get(self, request, pk: int):
        handling = self.own_handling()
        initial = {}
        if handling.pk is None:  # a new sheet: received on the day the region signed for it
            receipt = self.circular.receipts.filter(region=handling.region).first()
            initial["received_on"] = receipt and timezone.localdate(receipt.received_at)
        form = HandlingForm(instance=handling, initial=initial, circular=self.circular)
        formset = InstructionFormSet(initial=[i._asdict() for i in instructions_of(handling)],
                                     prefix="instructions")
        return self.show(handling, form, formset)

    def post(self, request, pk: int):
        handling = self.own_handling()
        form = HandlingForm(request.POST, instance=handling, circular=self.circular)
        form_valid = form.is_valid()
        # Each instruction's date is checked against the 收文日期 as entered (when it is valid).
        formset = InstructionFormSet(request.POST, prefix="instructions", form_kwargs={
            "received_on": form.cleaned_data.get("received_on")})
        if form_valid and formset.is_valid() and self.save(form, formset):
            messages.success(request, "处理笺已保存。")
            return redirect("reports:handling_sheet", self.circular.pk, handling.region_id)
        return self.show(handling, form, formset)

    def save(self, form: HandlingForm, formset: BaseInstructionFormSet) -> bool:
        handling = form.instance
        try:
            with transaction.atomic():
                current = (Handling.objects.select_for_update()
                           .filter(circular=handling.circular, region=handling.region).first())
                if loaded_stamp(current) != form.cleaned_data["loaded"]:
                    form.add_error(None, STALE)
                    return False
                handling = form.save(commit=False)
                handling.instructions = formset.entries()
                handling.updated_by = self.request.user
                handling.save()
        except IntegrityError:  # another save created the record between our check and ours
            form.add_error(None, STALE)
            return False
        return True

    def show(self, handling: Handling, form, formset):
        return render(self.request, self.template_name, {
            "circular": self.circular, "handling": handling, "form": form, "formset": formset,
        })


class HandlingSheetView(PermissionRequiredMixin, View):
    """The sheet as a page, to read and to print from the browser."""

    permission_required = "reports.view_handling"
    raise_exception = True

    def get(self, request, pk: int, region: int):
        handling = _readable_handling(request, pk, region)
        own = handling_region(handling.circular, request.user)
        return render(request, "reports/handling_detail.html", {
            **sheet_context(handling), "size": FIT_SIZES_PT[0],
            "history": history_rows(handling) if handling.pk else None,
            "can_edit": own == handling.region and request.user.has_perm("reports.change_handling"),
        })


class HandlingPrintView(PermissionRequiredMixin, View):
    """The sheet as a one-page PDF."""

    permission_required = "reports.view_handling"
    raise_exception = True

    def get(self, request, pk: int, region: int):
        handling = _readable_handling(request, pk, region)
        name = f"公文处理笺-{handling.region}-{handling.circular.doc_number_text}.pdf"
        response = HttpResponse(render_sheet_pdf(handling), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, name)
        return response


class HandlingOverviewView(PermissionRequiredMixin, View):
    """Each addressed region in the user's scope: its 签收 and the stage of its handling."""

    permission_required = "reports.view_handling"
    raise_exception = True

    def get(self, request, pk: int):
        circular = issued_circular(request.user, pk)
        regions = list(readable_regions(circular, request.user))
        receipts = {r.region_id: r for r in circular.receipts.filter(region__in=regions)
                    .select_related("received_by")}
        handlings = {h.region_id: h for h in circular.handlings.filter(region__in=regions)}
        rows = [{"region": region, "receipt": receipts.get(region.pk),
                 "handling": handlings.get(region.pk)} for region in regions]
        table = HandlingOverviewTable(rows, circular=circular)
        fmt = request.GET.get("export")
        if fmt in EXPORT_FORMATS:
            return export_response(fmt, f"{circular.doc_number_text}各地处理情况", "各地处理情况",
                                   table.as_values())
        return render(request, "reports/handling_overview.html", {
            "circular": circular, "table": table,
        })


urlpatterns = [
    path("<int:pk>/handling/", HandlingView.as_view(), name="handling"),
    path("<int:pk>/handling/overview/", HandlingOverviewView.as_view(), name="handling_overview"),
    path("<int:pk>/handling/<int:region>/", HandlingSheetView.as_view(), name="handling_sheet"),
    path("<int:pk>/handling/<int:region>/pdf/", HandlingPrintView.as_view(),
         name="handling_print"),
]
