from django.urls import path

from tasks.views import detail, imports, lists

app_name = "tasks"
urlpatterns = [
    path("viec-cua-toi/", lists.my_tasks, name="mine"),
    path("phong/", lists.department_tasks, name="department"),
    path("ke-hoach/<int:plan_pk>/nhiem-vu/", lists.plan_tasks, name="plan_tasks"),
    path("ke-hoach/<int:plan_pk>/nhiem-vu/hang-loat/", lists.bulk_action, name="bulk"),
    path("ke-hoach/<int:plan_pk>/nhiem-vu/moi/", detail.task_create, name="create"),
    path("ke-hoach/<int:plan_pk>/chuyen-nam/", lists.rollover, name="rollover"),
    path("ke-hoach/<int:plan_pk>/nhiem-vu.xlsx", imports.export_tasks, name="export"),
    path("ke-hoach/<int:plan_pk>/nhap-phu-luc/", imports.import_upload, name="import"),
    path(
        "ke-hoach/<int:plan_pk>/nhap-phu-luc/<int:batch_pk>/", imports.import_preview, name="import_preview"
    ),
    path("nhiem-vu/mau-phu-luc.xlsx", imports.import_template, name="import_template"),
    path("nhiem-vu/<int:pk>/", detail.task_detail, name="detail"),
    path("nhiem-vu/<int:pk>/sua/", detail.task_update, name="update"),
    path("nhiem-vu/<int:pk>/tien-do/", detail.task_report_progress, name="progress"),
    path("nhiem-vu/<int:pk>/phoi-hop/", detail.task_contribute, name="contribute"),
    path("nhiem-vu/<int:pk>/chi-dao/", detail.task_direct, name="direct"),
    path("chi-dao/<int:pk>/bao-cao/", detail.direction_reply, name="direction_reply"),
    path("nhiem-vu/<int:pk>/phan-cong/", detail.task_assign, name="assign"),
    path("nhiem-vu/<int:pk>/thoi-han/", detail.task_deadline, name="deadline"),
    path("nhiem-vu/<int:pk>/chu-tri/", detail.task_lead, name="lead"),
    path("nhiem-vu/<int:pk>/huy/", detail.task_cancel, name="cancel"),
    path("tien-do/<int:pk>/duyet/", detail.progress_approve, name="progress_approve"),
    path("tien-do/<int:pk>/tra-lai/", detail.progress_return, name="progress_return"),
    path("tai-lieu/<int:pk>/", detail.evidence_download, name="evidence"),
]
