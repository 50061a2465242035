from django.urls import path

from ratings import emulation_views, print_views, views

app_name = "ratings"
urlpatterns = [
    path("", views.round_list, name="list"),
    path("moi/", views.round_create, name="create"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/tinh-lai/", views.round_recount, name="recount"),
    path("<int:pk>/ty-le-htxs/", views.round_cap, name="cap"),
    path("phieu/<int:pk>/", views.rating_detail, name="rating"),
    path("phieu/<int:pk>/tu-danh-gia/", views.rating_self, name="self"),
    path("phieu/<int:pk>/thoi-gian/", views.rating_time, name="time"),
    path("phieu/<int:pk>/de-xuat/", views.rating_propose, name="propose"),
    path("phieu/<int:pk>/quyet-dinh/", views.rating_decide, name="decide"),
    path("phieu/<int:pk>/mo-lai/", views.rating_reopen, name="reopen"),
    path("phieu/<int:pk>/nhiem-vu/", views.rating_tasks, name="tasks"),
    path("<int:pk>/thi-dua/", emulation_views.emulation, name="emulation"),
    path("<int:pk>/thi-dua/dang-ky/", emulation_views.registration_add, name="registration_add"),
    path("<int:pk>/thi-dua/sang-kien/", emulation_views.initiative_add, name="initiative_add"),
    path("<int:pk>/thi-dua/ky-luat/", emulation_views.discipline_add, name="discipline_add"),
    path("<int:pk>/thi-dua/xep-loai-tap-the/", emulation_views.unit_level_set, name="unit_level"),
    path("<int:pk>/thi-dua/hoi-dong/", emulation_views.council_set, name="council"),
    path("<int:pk>/thi-dua/de-nghi/", emulation_views.nomination_add, name="nominate"),
    path("de-nghi/<int:pk>/phieu-bau/", emulation_views.ballot_record, name="ballot"),
    path("de-nghi/<int:pk>/rut/", emulation_views.nomination_withdraw, name="withdraw"),
    path("<int:pk>/thi-dua/quyet-dinh/", emulation_views.titles_decide, name="titles_decide"),
    path("<int:pk>/thi-dua/mo-lai/", emulation_views.titles_reopen, name="titles_reopen"),
    path("<int:pk>/tong-hop/<str:fmt>/", print_views.summary_print, name="summary_print"),
    path("<int:pk>/quyet-dinh-danh-hieu/<str:fmt>/", print_views.decision_print, name="decision_print"),
    path("phieu/<int:pk>/in/<str:fmt>/", print_views.form_print, name="form_print"),
]
