from django.urls import path

from . import views

app_name = "sites"

urlpatterns = [
    path("import/", views.DirectoryImportView.as_view(), name="directory_import"),
    path("regions/", views.RegionListView.as_view(), name="region_list"),
    path("regions/add/", views.RegionCreateView.as_view(), name="region_add"),
    path("regions/<int:pk>/", views.RegionView.as_view(), name="region"),
    path("regions/<int:pk>/edit/", views.RegionEditView.as_view(), name="region_edit"),
    path("units/", views.UnitListView.as_view(), name="unit_list"),
    path("units/add/", views.UnitCreateView.as_view(), name="unit_add"),
    path("units/<int:pk>/", views.UnitView.as_view(), name="unit"),
    path("units/<int:pk>/edit/", views.UnitEditView.as_view(), name="unit_edit"),
    path("websites/", views.WebsiteListView.as_view(), name="website_list"),
    path("websites/add/", views.WebsiteCreateView.as_view(), name="website_add"),
    path("websites/<int:pk>/", views.WebsiteView.as_view(), name="website"),
    path("websites/<int:pk>/edit/", views.WebsiteEditView.as_view(), name="website_edit"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/add/", views.UserCreateView.as_view(), name="user_add"),
    path("users/<int:pk>/", views.UserView.as_view(), name="user"),
    path("users/<int:pk>/edit/", views.UserEditView.as_view(), name="user_edit"),
]
