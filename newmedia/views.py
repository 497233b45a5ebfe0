from common.views import ObjectCreateView, ObjectDetailView, ObjectEditView, ObjectListView

from .filtersets import AccountFilterSet
from .forms import AccountForm
from .models import Account
from .tables import AccountTable


class AccountListView(ObjectListView):
    queryset = Account.objects.select_related("unit__region")
    table_class = AccountTable
    filterset_class = AccountFilterSet
    title = "政务新媒体"
    export_stem = "政务新媒体"
    add_permission = "newmedia.add_account"
    add_url_name = "newmedia:account_add"


class AccountView(ObjectDetailView):
    queryset = Account.objects.select_related("unit__region")
    template_name = "newmedia/account_detail.html"
    detail_fields = [
        "name", "platform", "account_type", "account_id", "unit", "subject", "filing",
        "filed_on", "unfiled_on", "status", "opened_on", "closed_on",
    ]
    list_url_name = "newmedia:account_list"
    edit_permission = "newmedia.change_account"
    edit_url_name = "newmedia:account_edit"


class AccountCreateView(ObjectCreateView):
    model = Account
    form_class = AccountForm
    permission_required = "newmedia.add_account"


class AccountEditView(ObjectEditView):
    queryset = Account.objects.all()
    form_class = AccountForm
    permission_required = "newmedia.change_account"
