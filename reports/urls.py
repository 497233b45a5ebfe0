from django.urls import path

from . import handling_views, views

app_name = "reports"

urlpatterns = [
    path("", views.CircularListView.as_view(), name="circular_list"),
    path("add/", views.CircularCreateView.as_view(), name="circular_add"),
    path("office/", views.OfficeProfileView.as_view(), name="office_profile"),
    path("<int:pk>/", views.CircularView.as_view(), name="circular"),
    path("<int:pk>/edit/", views.CircularEditView.as_view(), name="circular_edit"),
    path("<int:pk>/preview/", views.CircularPreviewView.as_view(), name="circular_preview"),
    path("<int:pk>/download/<slug:fmt>/", views.CircularDownloadView.as_view(),
         name="circular_download"),
    path("<int:pk>/issue/", views.CircularIssueView.as_view(), name="circular_issue"),
    path("<int:pk>/receive/", views.ReceiveView.as_view(), name="circular_receive"),
    path("jobs/<int:pk>/", views.job_page, name="job"),
    path("jobs/<int:pk>/file/", views.job_file, name="job_file"),
    *handling_views.urlpatterns,
]
