from django.urls import path

from . import views

app_name = "newmedia"

urlpatterns = [
    path("accounts/", views.AccountListView.as_view(), name="account_list"),
    path("accounts/add/", views.AccountCreateView.as_view(), name="account_add"),
    path("accounts/<int:pk>/", views.AccountView.as_view(), name="account"),
    path("accounts/<int:pk>/edit/", views.AccountEditView.as_view(), name="account_edit"),
]
