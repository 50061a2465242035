from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    STAFF = "staff", "Chuyên viên"
    DEPT_HEAD = "dept_head", "Trưởng phòng"
    LEADER = "leader", "Lãnh đạo cơ quan"
    CLERK = "clerk", "Văn thư / Văn phòng"
    OVERSEER = "overseer", "Sở Nội vụ (theo dõi)"
    ADMIN = "admin", "Quản trị hệ thống"


class Agency(models.Model):
    """A public body with its own plans: a Sở, a UBND huyện, or the province that holds them."""

    name = models.CharField(
        "tên cơ quan", max_length=255, help_text="Tên đầy đủ, ví dụ Sở Kế hoạch và Đầu tư tỉnh Vĩnh Phúc."
    )
    short_name = models.CharField(
        "tên trên văn bản",
        max_length=255,
        help_text="Tên in ở tiêu đề văn bản và trong dòng “của …”, ví dụ Sở Kế hoạch và Đầu tư.",
    )
    code = models.CharField(
        "ký hiệu viết tắt",
        max_length=20,
        unique=True,
        help_text="Dùng trong số, ký hiệu văn bản, ví dụ SKHĐT.",
    )
    parent_body = models.CharField(
        "cơ quan chủ quản",
        max_length=255,
        blank=True,
        help_text="Dòng trên cùng của tiêu đề văn bản, ví dụ UBND tỉnh Vĩnh Phúc.",
    )
    place_name = models.CharField("địa danh", max_length=100, help_text="Ví dụ Vĩnh Phúc.")
    completion_requires_evidence = models.BooleanField(
        "báo cáo hoàn thành phải có tài liệu kiểm chứng",
        default=True,
        help_text="Khi bật, báo cáo hoàn thành 100% phải kèm ít nhất một tệp kiểm chứng.",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="cơ quan cấp trên",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    is_active = models.BooleanField(
        "đang hoạt động",
        default=True,
        help_text="Cơ quan ngừng hoạt động không còn trong danh sách chọn; người dùng của cơ quan không đăng nhập được.",
    )
    data_version = models.PositiveBigIntegerField(
        "phiên bản dữ liệu",
        default=0,
        editable=False,
        help_text="Tăng một mỗi khi dữ liệu của cơ quan thay đổi; các trang lưu đệm được nhận diện theo số này.",
    )

    class Meta:
        verbose_name = "cơ quan"
        verbose_name_plural = "cơ quan"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @classmethod
    def bump_data_version(cls, *agency_ids: int) -> None:
        """Count one more change of the agencies' data, in the database so that none is lost: every
        cached page of an agency (task tables, dashboards, the province view) is keyed on its
        data_version, so the next request computes it afresh. The one place every write goes through."""
        cls.objects.filter(pk__in=agency_ids).update(data_version=models.F("data_version") + 1)

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": "Cơ quan cấp trên không được là chính nó hoặc cơ quan cấp dưới."}
                )
            ancestor = ancestor.parent


class DepartmentQuerySet(models.QuerySet):
    def open(self):
        """The departments still working: the ones a picker offers. Closed ones keep their history."""
        return self.filter(closed_at__isnull=True)


class Department(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name="cơ quan", on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField("tên phòng, đơn vị", max_length=255)
    code = models.CharField("ký hiệu viết tắt", max_length=20, help_text="Ví dụ VP, TTr, ĐKKD.")
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    # The dashboards' cache key reads it (tasks.figures_cache): a renamed department shows at once.
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    closed_at = models.DateTimeField(
        "ngừng hoạt động lúc",
        null=True,
        blank=True,
        help_text="Phòng đã đóng không còn trong danh sách chọn nhưng vẫn giữ lịch sử.",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name="đã sáp nhập vào",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = "phòng, đơn vị"
        verbose_name_plural = "phòng, đơn vị"
        ordering = ["agency_id", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="department_code_unique_in_agency"),
            models.UniqueConstraint(fields=["agency", "name"], name="department_name_unique_in_agency"),
        ]

    def __str__(self):
        return self.name


class User(AbstractUser):
    full_name = models.CharField("họ và tên", max_length=150)
    position = models.CharField("chức vụ", max_length=150, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name="cơ quan", on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    department = models.ForeignKey(
        Department,
        verbose_name="phòng, đơn vị",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices, default=Role.STAFF)
    # Kept by notifications.services (F() updates); the bell reads it with the user, at no query.
    unread_notifications = models.PositiveIntegerField("thông báo chưa đọc", default=0, editable=False)

    objects = UserManager()

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"
        ordering = ["full_name", "username"]

    def __str__(self):
        return self.full_name or self.username

    def clean(self):
        super().clean()
        if self.department_id and self.department.agency_id != self.agency_id:
            raise ValidationError({"department": "Phòng, đơn vị phải thuộc cơ quan của người dùng."})
        if self.role in (Role.STAFF, Role.DEPT_HEAD) and not self.department_id:
            raise ValidationError({"department": "Chuyên viên và trưởng phòng phải thuộc một phòng, đơn vị."})
        if self.role != Role.ADMIN and not self.agency_id and not self.is_superuser:
            raise ValidationError({"agency": "Người dùng phải thuộc một cơ quan."})

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name.rsplit(" ", 1)[-1] if self.full_name else self.username

    @property
    def is_clerk(self):
        return self.role == Role.CLERK

    @property
    def is_overseer(self):
        return self.role == Role.OVERSEER


class AccountEvent(models.Model):
    """One administrative change of a user, a department or an agency: the audit log reads them."""

    class Kind(models.TextChoices):
        USER_CREATED = "user_created", "Tạo người dùng"
        USER_CHANGED = "user_changed", "Sửa người dùng"
        USER_DEACTIVATED = "user_deactivated", "Khóa người dùng"
        USER_REACTIVATED = "user_reactivated", "Mở lại người dùng"
        PASSWORD_RESET_LINK = "password_reset_link", "Cấp đường dẫn đặt mật khẩu"
        LOGIN_UNLOCKED = "login_unlocked", "Mở khóa đăng nhập"
        DEPARTMENT_CREATED = "department_created", "Tạo phòng, đơn vị"
        DEPARTMENT_RENAMED = "department_renamed", "Đổi tên phòng, đơn vị"
        DEPARTMENT_MERGED = "department_merged", "Sáp nhập phòng, đơn vị"
        DEPARTMENT_CLOSED = "department_closed", "Đóng phòng, đơn vị"
        AGENCY_CREATED = "agency_created", "Tạo cơ quan"
        AGENCY_CHANGED = "agency_changed", "Sửa cơ quan"
        AGENCY_DEACTIVATED = "agency_deactivated", "Ngừng hoạt động cơ quan"

    agency = models.ForeignKey(
        Agency,
        verbose_name="cơ quan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account_events",
        help_text="Cơ quan có thay đổi; để trống với thay đổi cấp tỉnh.",
    )
    actor = models.ForeignKey(
        User,
        verbose_name="người thực hiện",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account_events_made",
    )
    at = models.DateTimeField("thời điểm", default=timezone.now, db_index=True)
    kind = models.CharField("loại thay đổi", max_length=30, choices=Kind.choices)
    subject_user = models.ForeignKey(
        User,
        verbose_name="người dùng",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account_events",
    )
    subject_department = models.ForeignKey(
        Department,
        verbose_name="phòng, đơn vị",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account_events",
    )
    subject_agency = models.ForeignKey(
        Agency,
        verbose_name="cơ quan được thay đổi",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account_events_about",
    )
    field = models.CharField("trường thay đổi", max_length=100, blank=True)
    old_value = models.TextField("giá trị cũ", blank=True)
    new_value = models.TextField("giá trị mới", blank=True)
    reason = models.TextField("lý do", blank=True)

    class Meta:
        verbose_name = "thay đổi quản trị"
        verbose_name_plural = "thay đổi quản trị"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.at:%d/%m/%Y %H:%M})"
