from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models


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


class Department(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name="cơ quan", on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField("tên phòng, đơn vị", max_length=255)
    code = models.CharField("ký hiệu viết tắt", max_length=20, help_text="Ví dụ VP, TTr, ĐKKD.")
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    # The dashboards' cache key reads it (tasks.figures_cache): a renamed department shows at once.
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

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
