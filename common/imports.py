"""Upload pages for workbooks: one view class, each import declares its function."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.views.generic import FormView

from common.export import XLSX_TYPE
from common.workbook import ImportFailed


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(label="工作簿（.xlsx）", widget=forms.ClearableFileInput(attrs={
        "accept": f".xlsx,{XLSX_TYPE}",
    }))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Said before the upload, so nobody waits for a file that open_workbook will refuse.
        self.fields["file"].help_text = (
            f"Excel 工作簿（.xlsx），不超过 {settings.IMPORT_MAX_BYTES // 1048576} MB。"
            "旧版 .xls 或 WPS 文件请先另存为 .xlsx。"
        )


class WorkbookImportView(PermissionRequiredMixin, FormView):
    """Upload a workbook; on any problem nothing changes and every problem is listed."""

    template_name = "common/import.html"
    form_class = WorkbookUploadForm
    raise_exception = True
    title = ""
    template_filename = ""

    def run_import(self, upload):
        raise NotImplementedError

    def template_bytes(self) -> bytes:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        if "template" in request.GET:
            response = HttpResponse(self.template_bytes(), content_type=XLSX_TYPE)
            response["Content-Disposition"] = content_disposition_header(
                True, self.template_filename
            )
            return response
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            result = self.run_import(upload)
        except ImportFailed as failure:
            return self.render_to_response(self.get_context_data(
                form=form, problems=failure.problems, filename=upload.name
            ))
        messages.success(self.request, f"“{upload.name}”导入成功。" + "；".join(result.summary_lines()))
        return redirect(self.request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        return context
