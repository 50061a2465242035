from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("", views.change_log, name="log"),
    path("nhat-ky-thay-doi.xlsx", views.change_log_export, name="export"),
]
