"""Every write to periodic CCHC reports goes through these functions; each records one change of the
report (PeriodicReportChange: who, when, what, and each field's old and new value) as plans do."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from cchc import periods
from plans.models import Plan
from reports.access import can_edit_reports
from reports.document import missing_for_issue
from reports.drafting import draft_texts
from reports.models import PeriodicReport, PeriodicReportChange
from reports.snapshot import take_snapshot

# What the clerk edits; the period and its window are chosen once, when the report is created.
EDITABLE_FIELDS = (
    "number",
    "symbol",
    "issued_on",
    "place_name",
    "signing_authority",
    "authority_title",
    "signer_position",
    "signer_name",
    "addressees",
    "recipients",
    "introduction",
    "area_texts",
    "difficulties",
    "next_tasks",
    "proposals",
)
DEFAULT_RECIPIENTS = "UBND tỉnh (b/c)\nSở Nội vụ (b/c)\nLãnh đạo Sở\nLưu: VT, VP."


def _require_editor(by: User, agency_id: int) -> None:
    if not can_edit_reports(by, agency_id):
        raise PermissionDenied("Chỉ văn thư, Văn phòng và lãnh đạo cơ quan mới lập, sửa báo cáo định kỳ.")


def _label(field: str) -> str:
    return str(PeriodicReport._meta.get_field(field).verbose_name)


def _shown(report: PeriodicReport) -> dict[str, str]:
    """What the history compares, as people read it: each edited field, the texts of each area (results
    and shortcomings apart), the status and when the figures were taken."""
    shown = {}
    for field in EDITABLE_FIELDS:
        value = getattr(report, field)
        if field == "area_texts":
            for entry in value:
                shown[f"kết quả – {entry['name']}"] = entry.get("results", "")
                shown[f"tồn tại, hạn chế – {entry['name']}"] = entry.get("shortcomings", "")
        elif field == "signing_authority":
            shown[_label(field)] = report.get_signing_authority_display() if value else ""
        elif isinstance(value, datetime.date):
            shown[_label(field)] = value.strftime("%d/%m/%Y")
        else:
            shown[_label(field)] = "" if value is None else str(value)
    shown[_label("status")] = report.get_status_display()
    shown[_label("snapshot_at")] = (
        timezone.localtime(report.snapshot_at).strftime("%H:%M %d/%m/%Y") if report.snapshot_at else ""
    )
    return shown


def _record(
    report: PeriodicReport,
    *,
    by: User,
    action: str,
    before: dict[str, str] | None = None,
    note: tuple[str, str] | None = None,
) -> PeriodicReportChange:
    """The one place every write of a report ends in: the change, with each shown value that differs
    from `before` (nothing before: a new report, whose first record needs no list), and a `note`
    (label, text) such as the reason of a replacement."""
    changes = [{"field": note[0], "old": "", "new": note[1]}] if note else []
    if before is not None:
        after = _shown(report)
        changes += [
            {"field": name, "old": before.get(name, ""), "new": after.get(name, "")}
            for name in dict.fromkeys([*before, *after])
            if before.get(name, "") != after.get(name, "")
        ]
    return PeriodicReportChange.objects.create(report=report, changed_by=by, action=action, changes=changes)


def _window(period: str, year: int | None, starts_on, ends_on) -> tuple[int, datetime.date, datetime.date]:
    if period == PeriodicReport.Period.CUSTOM:
        if starts_on is None or ends_on is None:
            raise ValidationError({"starts_on": "Kỳ tùy chọn cần ngày bắt đầu và ngày kết thúc."})
        if ends_on < starts_on:
            raise ValidationError({"ends_on": "Ngày kết thúc kỳ báo cáo phải sau hoặc trùng ngày bắt đầu."})
        return ends_on.year, starts_on, ends_on
    if period not in PeriodicReport.Period.values:
        raise ValidationError({"period": "Chọn kỳ báo cáo."})
    if year is None:
        raise ValidationError({"year": "Nhập năm báo cáo."})
    return (year, *periods.reporting_window(period, year))


def same_window_reports(plan: Plan, starts_on: datetime.date, ends_on: datetime.date):
    """The reports of `plan` on the same window of figures (the same period of the same year, or the
    same custom range), newest first."""
    return PeriodicReport.objects.filter(plan=plan, starts_on=starts_on, ends_on=ends_on).order_by(
        "-created_at", "-pk"
    )


def window_of(
    period: str, year: int | None, starts_on=None, ends_on=None
) -> tuple[datetime.date, datetime.date]:
    """The window of figures a period of `year` (or a custom range) covers; ValidationError if unknown."""
    return _window(period, year, starts_on, ends_on)[1:]


def _replaced(plan: Plan, starts_on, ends_on, replace_reason: str) -> PeriodicReport | None:
    """The report a new one replaces: none when the window has no report yet; a report already there
    needs the clerk's reason, else the new one is refused (one report per period, unless replaced)."""
    existing = same_window_reports(plan, starts_on, ends_on).first()
    if existing is None:
        return None
    if not replace_reason.strip():
        raise ValidationError(
            {
                "replace_reason": f"Kỳ này đã có {existing}. Mở báo cáo đó để sửa, hoặc nhập lý do để lập "
                "báo cáo thay thế."
            }
        )
    return existing


@transaction.atomic
def report_create(
    *,
    plan: Plan,
    by: User,
    period: str,
    year: int | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    replace_reason: str = "",
    **fields,
) -> PeriodicReport:
    """A draft report of `plan` for a standard period of `year` or a custom range, with its snapshot
    taken and its texts drafted from the progress reports of the window. When the window already has
    a report, the new one replaces it and needs `replace_reason`, recorded in the history of both."""
    _require_editor(by, plan.agency_id)
    for field in fields:
        if field not in EDITABLE_FIELDS:
            raise ValueError(f"{field} is not an editable report field")
    year, starts_on, ends_on = _window(period, year, starts_on, ends_on)
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one creation per plan at a time
    replaced = _replaced(plan, starts_on, ends_on, replace_reason)
    agency = plan.agency
    defaults = {
        "symbol": f"BC-{agency.code}",
        "place_name": agency.place_name,
        "signing_authority": plan.signing_authority,
        "authority_title": plan.authority_title,
        "signer_position": plan.signer_position,
        "signer_name": plan.signer_name,
        "recipients": DEFAULT_RECIPIENTS,
    }
    defaults.update(fields)
    report = PeriodicReport(
        agency=agency,
        plan=plan,
        period=period,
        year=year,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
        **defaults,
    )
    report.full_clean(exclude=["snapshot", "area_texts"])
    take_snapshot(report)
    drafted = draft_texts(report, report.snapshot)
    for name, value in drafted.items():
        if name not in fields:
            setattr(report, name, value)
    report.full_clean()
    _save(report)
    if replaced is None:
        _record(report, by=by, action=f"Lập dự thảo báo cáo {report.period_label}")
        return report
    note = ("lý do thay thế", " ".join(replace_reason.split()))
    _record(report, by=by, action=f"Lập dự thảo báo cáo {report.period_label} thay thế {replaced}", note=note)
    _record(
        replaced,
        by=by,
        action=f"Được thay thế bởi dự thảo báo cáo {report.period_label} lập ngày "
        f"{timezone.localdate().strftime('%d/%m/%Y')}",
        note=note,
    )
    return report


def _save(report: PeriodicReport, **kwargs) -> None:
    """Save; a number taken by another report in the meantime is the form's error, not a crash."""
    try:
        with transaction.atomic():
            report.save(**kwargs)
    except IntegrityError as error:
        if "periodic_report_number_unique" not in str(error):
            raise
        raise ValidationError(
            {"number": "Số này đã được dùng cho một báo cáo khác của cơ quan trong cùng năm ban hành."}
        ) from error


def _require_draft(report: PeriodicReport, by: User, message: str) -> PeriodicReport:
    _require_editor(by, report.agency_id)
    report = PeriodicReport.objects.select_for_update().select_related("agency", "plan").get(pk=report.pk)
    if report.is_locked:
        raise ValidationError(message)
    return report


def _clean_area_texts(report: PeriodicReport, area_texts) -> list[dict]:
    """The edited texts of each area, kept in the report's own order of areas."""
    edited = {entry["area_id"]: entry for entry in area_texts}
    return [
        {
            **entry,
            "results": str(edited.get(entry["area_id"], entry).get("results", "")).strip(),
            "shortcomings": str(edited.get(entry["area_id"], entry).get("shortcomings", "")).strip(),
        }
        for entry in report.area_texts
    ]


@transaction.atomic
def report_update(*, report: PeriodicReport, by: User, **fields) -> PeriodicReport:
    """Save the clerk's edits of a draft; an issued report is not edited any more."""
    report = _require_draft(report, by, "Báo cáo đã ban hành, không thể sửa.")
    before = _shown(report)
    changed = []
    for field, value in fields.items():
        if field not in EDITABLE_FIELDS:
            raise ValueError(f"{field} is not an editable report field")
        if field == "area_texts":
            value = _clean_area_texts(report, value)
        if getattr(report, field) != value:
            setattr(report, field, value)
            changed.append(field)
    report.full_clean()
    if changed:
        _save(report, update_fields=[*changed, "updated_at"])
        _record(report, by=by, action="Sửa báo cáo", before=before)
    return report


@transaction.atomic
def report_refresh(*, report: PeriodicReport, by: User, redraft: bool = False) -> PeriodicReport:
    """Take the snapshot again from today's data; with `redraft`, draft the texts again too (the
    clerk's edits are replaced), otherwise the texts are kept and areas new to the plan are added."""
    report = _require_draft(report, by, "Báo cáo đã ban hành: số liệu đã được chốt, không thể cập nhật.")
    before = _shown(report)
    take_snapshot(report)
    drafted = draft_texts(report, report.snapshot)
    fields = ["snapshot", "snapshot_at", "area_texts", "updated_at"]
    if redraft:
        for name, value in drafted.items():
            setattr(report, name, value)
        fields += ["introduction", "next_tasks"]
    else:
        kept = {entry["area_id"]: entry for entry in report.area_texts}
        report.area_texts = [kept.get(entry["area_id"], entry) for entry in drafted["area_texts"]]
    report.full_clean()
    report.save(update_fields=fields)
    action = "Cập nhật số liệu và soạn lại nội dung" if redraft else "Cập nhật số liệu"
    _record(report, by=by, action=action, before=before)
    return report


@transaction.atomic
def report_issue(*, report: PeriodicReport, by: User) -> PeriodicReport:
    """draft → issued: the number, date, signer, texts and snapshot are locked from here on."""
    report = _require_draft(report, by, "Báo cáo đã được ban hành trước đó.")
    before = _shown(report)
    missing = missing_for_issue(report)
    if missing:
        raise ValidationError("Chưa thể ban hành: " + " ".join(missing))
    report.status = PeriodicReport.Status.ISSUED
    report.full_clean()
    report.save(update_fields=["status", "updated_at"])
    _record(report, by=by, action="Ban hành báo cáo", before=before)
    return report


def next_free_number(agency, year: int) -> int:
    """The number after the highest one the agency's reports use in `year`."""
    last = (
        PeriodicReport.objects.filter(agency=agency, issued_on__year=year, number__isnull=False)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return (last or 0) + 1
