from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("moi/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/sua/", views.plan_update, name="update"),
    path("<int:pk>/ban-hanh/", views.plan_issue, name="issue"),
    path("<int:pk>/chot-ban-da-ky/", views.plan_seal, name="seal"),
    path("<int:pk>/ket-thuc/", views.plan_close, name="close"),
    path("<int:pk>/in/<str:fmt>/", views.plan_print, name="print"),
]
