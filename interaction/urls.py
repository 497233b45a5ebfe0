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
]
