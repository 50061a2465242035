from django.urls import path

from dashboards import home, province, views

app_name = "dashboards"
urlpatterns = [
    path("tong-quan/", home.dashboard_home, name="home"),
    path("ke-hoach/<int:plan_pk>/tong-quan/", views.plan_dashboard, name="plan"),
    path("tinh/tong-quan/", province.province_dashboard, name="province"),
]
