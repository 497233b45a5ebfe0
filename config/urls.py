from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from sites.views import HomeView

admin.site.site_header = admin.site.site_title = "政府网站与政务新媒体检查 管理后台"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("directory/", include("sites.urls")),
    path("newmedia/", include("newmedia.urls")),
    path("inspections/", include("inspections.urls")),
    path("circulars/", include("reports.urls")),
    path("assessment/", include("assessment.urls")),
    path("interaction/", include("interaction.urls")),
    path("admin/", admin.site.urls),
]
