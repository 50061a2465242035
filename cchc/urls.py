from django.contrib import admin
from django.urls import include, path

from cchc import views

admin.site.site_header = "Quản trị hệ thống CCHC"
admin.site.site_title = "Quản trị CCHC"
admin.site.index_title = "Danh mục quản trị"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("accounts.urls")),
    path("ke-hoach/", include("plans.urls")),
    path("", include("tasks.urls")),
    path("", include("dashboards.urls")),
    path("", include("reports.urls")),
    path("danh-gia/", include("evaluations.urls")),
    path("xep-loai/", include("ratings.urls")),
    path("thong-bao/", include("notifications.urls")),
    path("tim-kiem/", include("search.urls")),
    path("quan-ly/", include("administration.urls")),
    path("nhat-ky-thay-doi/", include("audit.urls")),
    path("quan-tri/", admin.site.urls),
]
