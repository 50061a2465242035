from django.urls import path

from administration.views import agencies, departments, lockouts, users

app_name = "administration"

urlpatterns = [
    path("", users.user_list, name="users"),
    path("nguoi-dung/them/", users.user_create, name="user_create"),
    path("nguoi-dung/<int:pk>/", users.user_update, name="user_update"),
    path("nguoi-dung/<int:pk>/khoa/", users.user_deactivate, name="user_deactivate"),
    path("nguoi-dung/<int:pk>/mo-lai/", users.user_reactivate, name="user_reactivate"),
    path("nguoi-dung/<int:pk>/dat-lai-mat-khau/", users.user_password_link, name="user_password_link"),
    path("nguoi-dung/<int:pk>/mo-khoa-dang-nhap/", lockouts.user_login_unlock, name="user_login_unlock"),
    path("khoa-dang-nhap/", lockouts.lockout_list, name="lockouts"),
    path("khoa-dang-nhap/dia-chi/", lockouts.address_login_unlock, name="address_login_unlock"),
    path("phong/", departments.department_list, name="departments"),
    path("phong/them/", departments.department_create, name="department_create"),
    path("phong/<int:pk>/", departments.department_rename, name="department_rename"),
    path("phong/<int:pk>/sap-nhap/", departments.department_merge, name="department_merge"),
    path("phong/<int:pk>/dong/", departments.department_close, name="department_close"),
    path("co-quan/", agencies.agency_list, name="agencies"),
    path("co-quan/them/", agencies.agency_create, name="agency_create"),
    path("co-quan/<int:pk>/", agencies.agency_update, name="agency_update"),
    path("co-quan/<int:pk>/ngung-hoat-dong/", agencies.agency_deactivate, name="agency_deactivate"),
    path("co-quan/<int:pk>/hoat-dong-lai/", agencies.agency_reactivate, name="agency_reactivate"),
    path("co-quan/<int:pk>/quan-tri/", agencies.agency_admins, name="agency_admins"),
]
