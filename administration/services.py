"""The writes of the agency administration: users, departments and agencies. Each one validates, writes
in one transaction and records what changed in accounts.AccountEvent (who, when, which field, old and
new value, why), which the audit log shows."""

from collections.abc import Sequence

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import throttling
from accounts.access import administered_agencies, administers_agency, administers_province
from accounts.models import AccountEvent, Agency, Department, Role, User
from accounts.services import agency_save, count_data_change, department_save
from administration import mailing
from tasks.models import Task
from tasks.services import department_tasks_move

Kind = AccountEvent.Kind

# Open work that keeps a department from closing: a task not yet completed or cancelled.
OPEN_TASK_STATES = [Task.State.NOT_STARTED, Task.State.IN_PROGRESS, Task.State.PENDING]


def _label(model, field: str) -> str:
    return str(model._meta.get_field(field).verbose_name)


def _shown(instance, field: str) -> str:
    """A field's value as a person reads it: the choice's label, the related object's name, Có/Không."""
    value = getattr(instance, field)
    display = getattr(instance, f"get_{field}_display", None)
    if display is not None:
        return str(display())
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return "" if value is None else str(value)


def _changes(before: dict[str, str], instance, fields: Sequence[str]) -> list[tuple[str, str, str]]:
    """(field label, old, new) of every field whose shown value changed."""
    rows = []
    for field in fields:
        new = _shown(instance, field)
        if before[field] != new:
            rows.append((_label(type(instance), field), before[field], new))
    return rows


def _record(kind: str, *, by: User, agency: Agency | None, reason: str = "", changes=(), **subjects):
    """One AccountEvent per changed field (one without a field when nothing in particular changed)."""
    at = timezone.now()
    rows = list(changes) or [("", "", "")]
    AccountEvent.objects.bulk_create(
        AccountEvent(
            kind=kind,
            actor=by,
            agency=agency,
            at=at,
            field=field,
            old_value=old,
            new_value=new,
            reason=reason,
            **subjects,
        )
        for field, old, new in rows
    )


# Rights ------------------------------------------------------------------------------------------


def agency_roles(by: User) -> list[tuple[str, str]]:
    """The roles an administrator gives: those of an agency; the province-wide overseer (Sở Nội vụ)
    only from the province's administrator."""
    province_wide = {Role.OVERSEER} if not administers_province(by) else set()
    return [(value, label) for value, label in Role.choices if value not in province_wide]


def manages_user(by: User, user: User) -> bool:
    """The agency's administrator manages its users; the province's administrator also the
    administrators of the province's agencies."""
    if administers_agency(by) and user.agency_id == by.agency_id:
        return True
    return (
        user.role == Role.ADMIN
        and user.agency_id is not None
        and administered_agencies(by).filter(pk=user.agency_id).exists()
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# Set-password links ------------------------------------------------------------------------------


def set_password_url(user: User, *, base_url: str) -> str:
    """The one-time link to the password page (Django's password-reset confirm view): it stops working
    once the password is set, or after PASSWORD_RESET_TIMEOUT."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url + reverse("password_reset_confirm", args=[uid, token])


@transaction.atomic
def password_link_issue(*, user: User, by: User, base_url: str, new_account: bool = False) -> str:
    """A one-time set-password link for `user`, shown to the administrator once and sent to the user's
    address when there is one (after the transaction). The old password stops working at once."""
    _require(manages_user(by, user), "Bạn không quản lý người dùng này.")
    if not user.is_active:
        raise ValidationError("Tài khoản đang bị khóa: mở lại trước khi cấp đường dẫn đặt mật khẩu.")
    if not new_account:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    url = set_password_url(user, base_url=base_url)
    _record(Kind.PASSWORD_RESET_LINK, by=by, agency=user.agency, subject_user=user)
    if user.email:
        transaction.on_commit(lambda: mailing.send_set_password(user=user, url=url, new_account=new_account))
    return url


# Users -------------------------------------------------------------------------------------------

USER_FIELDS = ["full_name", "email", "position", "department", "role"]


def _check_user(user: User, by: User) -> None:
    if user.role not in dict(agency_roles(by)):
        raise ValidationError({"role": "Bạn không thể giao vai trò này."})
    if user.department_id and user.department.closed_at is not None:
        raise ValidationError({"department": "Phòng, đơn vị này đã ngừng hoạt động."})
    user.full_clean()


@transaction.atomic
def user_create(
    *,
    by: User,
    agency: Agency,
    username: str,
    full_name: str,
    email: str,
    position: str,
    department: Department | None,
    role: str,
) -> User:
    """A new user of `agency`, without a password: they set it through the link the caller issues."""
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        position=position,
        agency=agency,
        department=department,
        role=role,
    )
    _require(manages_user(by, user), "Bạn không quản lý người dùng của cơ quan này.")
    user.set_unusable_password()
    _check_user(user, by)
    user.save()
    _record(Kind.USER_CREATED, by=by, agency=agency, subject_user=user)
    return user


@transaction.atomic
def user_change(*, user: User, by: User, reason: str = "", **values) -> User:
    """Change a user's name, address, position, department or role (the given `values`)."""
    _require(manages_user(by, user), "Bạn không quản lý người dùng này.")
    user = User.objects.select_for_update(of=("self",)).select_related("department", "agency").get(pk=user.pk)
    if user.pk == by.pk and values.get("role", user.role) != user.role:
        raise ValidationError({"role": "Bạn không thể tự đổi vai trò của mình."})
    before = {field: _shown(user, field) for field in USER_FIELDS}
    for field, value in values.items():
        if field not in USER_FIELDS:
            raise ValueError(field)
        setattr(user, field, value)
    _check_user(user, by)
    changes = _changes(before, user, USER_FIELDS)
    if changes:
        user.save(update_fields=list(values))
        _record(
            Kind.USER_CHANGED, by=by, agency=user.agency, reason=reason, changes=changes, subject_user=user
        )
    return user


@transaction.atomic
def user_deactivate(*, user: User, by: User, reason: str = "") -> User:
    """Lock an account: the user no longer signs in; their records and history stay."""
    _require(manages_user(by, user), "Bạn không quản lý người dùng này.")
    if user.pk == by.pk:
        raise ValidationError("Bạn không thể tự khóa tài khoản của mình.")
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        _record(Kind.USER_DEACTIVATED, by=by, agency=user.agency, reason=reason, subject_user=user)
    return user


@transaction.atomic
def user_reactivate(*, user: User, by: User, reason: str = "") -> User:
    _require(manages_user(by, user), "Bạn không quản lý người dùng này.")
    if user.department_id and user.department.closed_at is not None:
        raise ValidationError(
            "Phòng của người dùng đã ngừng hoạt động: chuyển người dùng sang phòng khác trước."
        )
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        _record(Kind.USER_REACTIVATED, by=by, agency=user.agency, reason=reason, subject_user=user)
    return user


# Login lockouts ----------------------------------------------------------------------------------


def unlocks_login(by: User, user: User) -> bool:
    """The agency's administrator unlocks the logins of its users; the province's administrator those of
    every agency of the province (a superuser's also those of users without an agency)."""
    if administers_agency(by) and user.agency_id == by.agency_id:
        return True
    if user.agency_id is None:
        return by.is_superuser
    return administered_agencies(by).filter(pk=user.agency_id).exists()


@transaction.atomic
def login_unlock(*, user: User, by: User, reason: str = "") -> int:
    """Let a user locked out by wrong passwords (accounts.throttling) try again now; the number of
    failure records forgotten. Recorded only when there was something to unlock."""
    _require(unlocks_login(by, user), "Bạn không quản lý người dùng này.")
    count = throttling.username_unlock(user.username)
    if count:
        _record(Kind.LOGIN_UNLOCKED, by=by, agency=user.agency, reason=reason, subject_user=user)
    return count


@transaction.atomic
def address_unlock(*, address: str, by: User, reason: str = "") -> int:
    """Let an address locked out by wrong passwords try again, for every username: the province's
    administrator's decision, since an address may be shared by several agencies."""
    _require(administers_province(by), "Chỉ quản trị cấp tỉnh mới mở khóa một địa chỉ.")
    count = throttling.address_unlock(address)
    if count:
        _record(
            Kind.LOGIN_UNLOCKED, by=by, agency=None, reason=reason, changes=[("Địa chỉ mạng", "", address)]
        )
    return count


# Departments -------------------------------------------------------------------------------------


def _require_department(by: User, department: Department) -> None:
    _require(
        administers_agency(by) and department.agency_id == by.agency_id,
        "Chỉ quản trị của cơ quan mới thay đổi phòng, đơn vị.",
    )


@transaction.atomic
def department_create(*, by: User, name: str, code: str, position: int = 0) -> Department:
    _require(administers_agency(by), "Chỉ quản trị của cơ quan mới tạo phòng, đơn vị.")
    department = department_save(
        department=Department(agency_id=by.agency_id, name=name, code=code, position=position)
    )
    _record(Kind.DEPARTMENT_CREATED, by=by, agency=department.agency, subject_department=department)
    return department


@transaction.atomic
def department_rename(
    *, department: Department, by: User, name: str, code: str, position: int, reason: str = ""
) -> Department:
    _require_department(by, department)
    if department.closed_at is not None:
        raise ValidationError("Phòng, đơn vị đã ngừng hoạt động.")
    fields = ["name", "code", "position"]
    before = {field: _shown(department, field) for field in fields}
    department.name, department.code, department.position = name, code, position
    changes = _changes(before, department, fields)
    if changes:
        department_save(department=department)
        _record(
            Kind.DEPARTMENT_RENAMED,
            by=by,
            agency=department.agency,
            reason=reason,
            changes=changes,
            subject_department=department,
        )
    return department


def _close(department: Department) -> None:
    department.closed_at = timezone.now()
    department_save(department=department)


@transaction.atomic
def department_merge(*, source: Department, target: Department, by: User, reason: str) -> int:
    """Merge `source` into `target`: its tasks and its people move to the target (each task with its
    history event) and it closes, kept with its history. Returns how many tasks moved."""
    _require_department(by, source)
    source = Department.objects.select_for_update().get(pk=source.pk)
    if target.agency_id != source.agency_id or target.pk == source.pk or target.closed_at is not None:
        raise ValidationError({"target": "Chọn một phòng, đơn vị khác đang hoạt động của cơ quan."})
    if source.closed_at is not None:
        raise ValidationError("Phòng, đơn vị đã ngừng hoạt động.")
    moved = department_tasks_move(source=source, target=target, by=by, reason=reason)
    people = list(User.objects.filter(department=source))
    User.objects.filter(department=source).update(department=target)
    source.merged_into = target
    _close(source)
    _record(
        Kind.DEPARTMENT_MERGED,
        by=by,
        agency=source.agency,
        reason=reason,
        changes=[("đã sáp nhập vào", "", str(target))],
        subject_department=source,
    )
    AccountEvent.objects.bulk_create(
        AccountEvent(
            kind=Kind.USER_CHANGED,
            actor=by,
            agency=source.agency,
            subject_user=user,
            field=_label(User, "department"),
            old_value=str(source),
            new_value=str(target),
            reason=reason,
        )
        for user in people
    )
    count_data_change(source.agency_id)
    return moved


def department_close_blockers(department: Department) -> list[str]:
    """Why the department cannot close yet, in words (empty when it can)."""
    reasons = []
    open_tasks = Task.objects.filter(lead_department=department, state__in=OPEN_TASK_STATES).count()
    if open_tasks:
        reasons.append(f"còn {open_tasks} nhiệm vụ chưa hoàn thành do phòng chủ trì")
    people = User.objects.filter(department=department, is_active=True).count()
    if people:
        reasons.append(f"còn {people} người dùng đang hoạt động thuộc phòng")
    return reasons


@transaction.atomic
def department_close(*, department: Department, by: User, reason: str = "") -> Department:
    """Close an empty department: it leaves every picker and keeps its history."""
    _require_department(by, department)
    department = Department.objects.select_for_update().get(pk=department.pk)
    if department.closed_at is not None:
        raise ValidationError("Phòng, đơn vị đã ngừng hoạt động.")
    blockers = department_close_blockers(department)
    if blockers:
        raise ValidationError(
            "Chưa thể đóng phòng: "
            + "; ".join(blockers)
            + ". Hãy sáp nhập phòng vào một phòng khác, hoặc chuyển nhiệm vụ và người dùng đi trước."
        )
    _close(department)
    _record(
        Kind.DEPARTMENT_CLOSED, by=by, agency=department.agency, reason=reason, subject_department=department
    )
    return department


# Agencies ----------------------------------------------------------------------------------------

# what the agency form edits; is_active changes only by agency_deactivate / agency_reactivate
AGENCY_VALUES = [
    "name",
    "short_name",
    "code",
    "parent_body",
    "place_name",
    "parent",
    "completion_requires_evidence",
]
AGENCY_FIELDS = [*AGENCY_VALUES, "is_active"]


def _require_province(by: User, agency: Agency | None = None) -> None:
    _require(administers_province(by), "Chỉ quản trị cấp tỉnh mới thay đổi cơ quan.")
    if agency is not None and agency.pk is not None:
        _require(administered_agencies(by).filter(pk=agency.pk).exists(), "Cơ quan ngoài tỉnh.")


def _check_parent(by: User, agency: Agency) -> None:
    if agency.parent_id is not None and not administered_agencies(by).filter(pk=agency.parent_id).exists():
        raise ValidationError({"parent": "Cơ quan cấp trên phải thuộc tỉnh."})


@transaction.atomic
def agency_create(*, by: User, **values) -> Agency:
    _require_province(by)
    agency = Agency(**values)
    _check_parent(by, agency)
    agency_save(agency=agency)
    _record(Kind.AGENCY_CREATED, by=by, agency=None, subject_agency=agency)
    return agency


@transaction.atomic
def agency_change(*, agency: Agency, by: User, reason: str = "", **values) -> Agency:
    _require_province(by, agency)
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    before = {field: _shown(agency, field) for field in AGENCY_FIELDS}
    for field, value in values.items():
        if field not in AGENCY_FIELDS or field == "is_active":
            raise ValueError(field)
        setattr(agency, field, value)
    _check_parent(by, agency)
    changes = _changes(before, agency, AGENCY_FIELDS)
    if changes:
        agency_save(agency=agency)
        _record(
            Kind.AGENCY_CHANGED, by=by, agency=None, reason=reason, changes=changes, subject_agency=agency
        )
    return agency


@transaction.atomic
def agency_deactivate(*, agency: Agency, by: User, reason: str = "") -> Agency:
    """An agency stops working here: its users no longer sign in; its data and history stay."""
    _require_province(by, agency)
    if by.agency_id == agency.pk:
        raise ValidationError("Bạn không thể ngừng hoạt động cơ quan của chính mình.")
    if agency.children.filter(is_active=True).exists():
        raise ValidationError("Cơ quan còn cơ quan cấp dưới đang hoạt động.")
    if agency.is_active:
        agency.is_active = False
        agency_save(agency=agency)
        _record(
            Kind.AGENCY_DEACTIVATED,
            by=by,
            agency=None,
            reason=reason,
            changes=[(_label(Agency, "is_active"), "Có", "Không")],
            subject_agency=agency,
        )
    return agency


@transaction.atomic
def agency_reactivate(*, agency: Agency, by: User, reason: str = "") -> Agency:
    _require_province(by, agency)
    if not agency.is_active:
        agency.is_active = True
        agency_save(agency=agency)
        _record(
            Kind.AGENCY_CHANGED,
            by=by,
            agency=None,
            reason=reason,
            changes=[(_label(Agency, "is_active"), "Không", "Có")],
            subject_agency=agency,
        )
    return agency
