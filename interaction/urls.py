from django.urls import path

from . import views

app_name = "interaction"

urlpatterns = [
    path("messages/", views.MessageListView.as_view(), name="message_list"),
    path("messages/add/", views.MessageCreateView.as_view(), name="message_add"),
    path("messages/import/", views.MessageImportView.as_view(), name="message_import"),
    path("messages/statistics/", views.MessageStatisticsView.as_view(), name="statistics"),
    path("messages/<int:pk>/", views.MessageView.as_view(), name="message"),
    path("messages/<int:pk>/edit/", views.MessageEditView.as_view(), name="message_edit"),
    path("channels/", views.ChannelListView.as_view(), name="channel_list"),
    path("channels/add/", views.ChannelCreateView.as_view(), name="channel_add"),
    path("channels/<int:pk>/", views.ChannelView.as_view(), name="channel"),
    path("channels/<int:pk>/edit/", views.ChannelEditView.as_view(), name="channel_edit"),
    path("holidays/", views.HolidayListView.as_view(), name="holiday_list"),
    path("holidays/add/", views.HolidayCreateView.as_view(), name="holiday_add"),
    path("holidays/<int:pk>/", views.HolidayView.as_view(), name="holiday"),
    path("holidays/<int:pk>/edit/", views.HolidayEditView.as_view(), name="holiday_edit"),
    path("holidays/<int:pk>/delete/", views.HolidayDeleteView.as_view(), name="holiday_delete"),
    path("holidays/years/confirm/", views.HolidayYearConfirmView.as_view(),
         name="holiday_year_confirm"),
    path("holidays/years/<int:year>/withdraw/", views.HolidayYearWithdrawView.as_view(),
         name="holiday_year_withdraw"),
]
