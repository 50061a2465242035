from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts import services
from accounts.models import AccountEvent, Agency, Department, User

# Reference data, edited by the admin. Agencies and departments are saved through accounts.services,
# which renews the cached pages (task tables, dashboards) that name them.


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0
    fields = ["position", "code", "name"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent_body", "parent", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["name", "code"]
    list_filter = ["is_active", "parent"]
    inlines = [DepartmentInline]

    def save_model(self, request, obj, form, change):
        services.agency_save(agency=obj)

    def save_formset(self, request, form, formset, change):
        departments = formset.save(commit=False)  # collects the deleted ones without deleting them
        for department in formset.deleted_objects:
            services.department_delete(department=department)
        for department in departments:
            services.department_save(department=department)
        formset.save_m2m()


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "agency", "position", "closed_at", "merged_into"]
    list_select_related = ["agency", "merged_into"]
    list_filter = ["agency", ("closed_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "code"]

    def save_model(self, request, obj, form, change):
        services.department_save(department=obj)

    def delete_model(self, request, obj):
        services.department_delete(department=obj)

    def delete_queryset(self, request, queryset):
        for department in queryset:
            services.department_delete(department=department)


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


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    """The record of administrative changes, written by the administration's services: read-only."""

    list_display = [
        "at",
        "kind",
        "actor",
        "agency",
        "subject_user",
        "subject_department",
        "subject_agency",
        "field",
    ]
    list_select_related = ["actor", "agency", "subject_user", "subject_department", "subject_agency"]
    list_filter = ["kind", "agency"]
    search_fields = ["subject_user__full_name", "subject_user__username", "field", "old_value", "new_value"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
