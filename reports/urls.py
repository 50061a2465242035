from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("ke-hoach/<int:pk>/bao-cao/", views.report_list, name="list"),
    path("ke-hoach/<int:pk>/bao-cao/moi/", views.report_create, name="create"),
    path("ke-hoach/bao-cao/<int:pk>/", views.report_detail, name="detail"),
    path("ke-hoach/bao-cao/<int:pk>/sua/", views.report_update, name="update"),
    path("ke-hoach/bao-cao/<int:pk>/cap-nhat-so-lieu/", views.report_refresh, name="refresh"),
    path("ke-hoach/bao-cao/<int:pk>/ban-hanh/", views.report_issue, name="issue"),
    path("ke-hoach/bao-cao/<int:pk>/in/<str:fmt>/", views.report_print, name="print"),
]
