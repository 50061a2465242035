from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import Agency, Department, User


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0
    fields = ["position", "code", "name"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent_body", "parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "code"]
    list_filter = ["parent"]
    inlines = [DepartmentInline]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "agency", "position"]
    list_select_related = ["agency"]
    list_filter = ["agency"]
    search_fields = ["name", "code"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "agency", "department", "is_active"]
    list_select_related = ["agency", "department"]
    list_filter = ["role", "agency", "is_active"]
    search_fields = ["username", "full_name", "email"]
    ordering = ["agency", "full_name"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Thông tin cá nhân", {"fields": ("full_name", "position", "email")}),
        ("Tổ chức và vai trò", {"fields": ("agency", "department", "role")}),
        (
            "Quyền quản trị",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Thời điểm", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "agency", "department", "role", "password1", "password2"),
            },
        ),
    )
