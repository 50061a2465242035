from django.urls import path

from evaluations import views

app_name = "evaluations"
urlpatterns = [
    path("", views.round_list, name="list"),
    path("moi/", views.round_create, name="create"),
    path("tham-dinh/", views.appraisal_queue, name="queue"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/chuyen-buoc/", views.round_move, name="move"),
    path("<int:pk>/tinh-diem/", views.round_compute, name="compute"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit"),
    path("don-vi/<int:pk>/cac-nam/", views.unit_history, name="unit_history"),
    path("don-vi/<int:pk>/nop/", views.unit_submit, name="submit"),
    path("don-vi/<int:pk>/tra-lai/", views.unit_return, name="return"),
    path("diem/<int:pk>/tu-cham/", views.score_self, name="score_self"),
    path("diem/<int:pk>/tham-dinh/", views.score_appraise, name="score_appraise"),
    path("diem/<int:pk>/nhiem-vu/", views.score_tasks, name="score_tasks"),
    path("tai-lieu/<int:pk>/", views.evidence_download, name="evidence"),
    path("<int:pk>/in/<str:fmt>/", views.round_print, name="print"),
    path("don-vi/<int:pk>/in/<str:fmt>/", views.unit_print, name="unit_print"),
    path("<int:pk>/bo-tieu-chi.xlsx", views.round_criteria, name="criteria"),
    path("bo-tieu-chi/nhap/", views.rubric_import, name="rubric_import"),
    path("bo-tieu-chi/<int:pk>.xlsx", views.rubric_export, name="rubric_export"),
]
