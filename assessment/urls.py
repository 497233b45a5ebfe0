from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.YearListView.as_view(), name="year_list"),
    path("years/add/", views.YearCreateView.as_view(), name="year_add"),
    path("years/<int:pk>/", views.YearView.as_view(), name="year"),
    path("years/<int:pk>/edit/", views.YearEditView.as_view(), name="year_edit"),
    path("years/<int:pk>/generate/", views.YearGenerateView.as_view(), name="year_generate"),
    path("years/<int:pk>/remind/", views.YearRemindView.as_view(), name="year_remind"),
    path("years/<int:pk>/lock/", views.YearLockView.as_view(), name="year_lock"),
    path("years/<int:pk>/circular/", views.YearCircularView.as_view(), name="year_circular"),
    path("offices/<int:pk>/", views.OfficeView.as_view(), name="office"),
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/<int:pk>/", views.ReportView.as_view(), name="report"),
    path("reports/<int:pk>/file/", views.report_file, name="report_file"),
]
