from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("da-doc-het/", views.notifications_read_all, name="read_all"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("<int:pk>/da-doc/", views.notification_read, name="read"),
    path("cai-dat/", views.notification_preferences, name="preferences"),
    path("cai-dat-co-quan/", views.agency_settings, name="agency_settings"),
    path("cai-dat-co-quan/dia-chi/<int:pk>/thu-gui-lai/", views.address_retry, name="address_retry"),
    path("nhat-ky/", views.notification_log, name="log"),
]
