from django.urls import path

from plans import report_views, views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("moi/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/sua/", views.plan_update, name="update"),
    path("<int:pk>/ban-hanh/", views.plan_issue, name="issue"),
    path("<int:pk>/ket-thuc/", views.plan_close, name="close"),
    path("<int:pk>/in/<str:fmt>/", views.plan_print, name="print"),
    path("<int:pk>/bao-cao/", report_views.report_list, name="report_list"),
    path("<int:pk>/bao-cao/moi/", report_views.report_create, name="report_create"),
    path("bao-cao/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("bao-cao/<int:pk>/sua/", report_views.report_update, name="report_update"),
    path("bao-cao/<int:pk>/cap-nhat-so-lieu/", report_views.report_refresh, name="report_refresh"),
    path("bao-cao/<int:pk>/ban-hanh/", report_views.report_issue, name="report_issue"),
    path("bao-cao/<int:pk>/in/<str:fmt>/", report_views.report_print, name="report_print"),
]
