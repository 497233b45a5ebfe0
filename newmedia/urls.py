from django.urls import path

from . import views, views_reconciliation

app_name = "newmedia"

urlpatterns = [
    path("accounts/", views.AccountListView.as_view(), name="account_list"),
    path("accounts/add/", views.AccountCreateView.as_view(), name="account_add"),
    path("accounts/<int:pk>/", views.AccountView.as_view(), name="account"),
    path("accounts/<int:pk>/edit/", views.AccountEditView.as_view(), name="account_edit"),
    path("reconciliations/", views_reconciliation.ReconciliationListView.as_view(),
         name="reconciliation_list"),
    path("reconciliations/add/", views_reconciliation.ReconciliationCreateView.as_view(),
         name="reconciliation_add"),
    path("reconciliations/<int:pk>/", views_reconciliation.ReconciliationView.as_view(),
         name="reconciliation"),
    path("reconciliations/<int:pk>/tasks/", views_reconciliation.ReconciliationTaskView.as_view(),
         name="reconciliation_tasks"),
    path("reconciliations/<int:pk>/register/",
         views_reconciliation.ReconciliationRegistrationView.as_view(),
         name="reconciliation_register"),
]
