"""Every write to plans and legal documents goes through these functions."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Agency, User
from plans.models import LegalDocument, Plan, PlanChange, PlanLegalBasis, ReformAreaSet

EDITABLE_FIELDS = (
    "number",
    "symbol",
    "issued_on",
    "place_name",
    "year",
    "title",
    "implements",
    "purpose",
    "requirements",
    "arrangements",
    "signing_authority",
    "authority_title",
    "signer_position",
    "signer_name",
    "recipients",
)


def _display(plan: Plan, field: str) -> str:
    value = getattr(plan, field)
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if field == "signing_authority":
        return plan.get_signing_authority_display() if value else ""
    return str(value)


def _area_set_for(year: int) -> ReformAreaSet:
    area_set = ReformAreaSet.for_year(year)
    if area_set is None:
        raise ValidationError({"year": f"Chưa có bộ lĩnh vực CCHC cho năm {year}."})
    return area_set


def _set_legal_bases(plan: Plan, documents: Sequence[LegalDocument]) -> None:
    plan.basis_links.all().delete()
    PlanLegalBasis.objects.bulk_create(
        PlanLegalBasis(plan=plan, document=document, position=position)
        for position, document in enumerate(documents, start=1)
    )


def _basis_labels(plan: Plan) -> list[str]:
    return [str(link.document) for link in plan.basis_links.select_related("document")]


@transaction.atomic
def plan_create(*, agency: Agency, by: User, legal_bases: Sequence[LegalDocument] = (), **fields) -> Plan:
    plan = Plan(agency=agency, **fields)
    plan.area_set = _area_set_for(plan.year)
    plan.full_clean()
    plan.save()
    _set_legal_bases(plan, legal_bases)
    PlanChange.objects.create(plan=plan, changed_by=by, action="Tạo kế hoạch")
    return plan


@transaction.atomic
def plan_update(
    *, plan: Plan, by: User, legal_bases: Sequence[LegalDocument] | None = None, **fields
) -> Plan:
    """Apply edits and record each changed field; identifying fields are locked once issued."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == Plan.Status.CLOSED:
        raise ValidationError("Kế hoạch đã kết thúc, không thể sửa.")
    changes = []
    for field, value in fields.items():
        if field not in EDITABLE_FIELDS:
            raise ValueError(f"{field} is not an editable plan field")
        old = _display(plan, field)
        if getattr(plan, field) == value:
            continue
        if plan.is_locked and field in Plan.LOCKED_WHEN_ISSUED:
            label = Plan._meta.get_field(field).verbose_name
            raise ValidationError({field: f"Kế hoạch đã ban hành: không được sửa {label}."})
        setattr(plan, field, value)
        changes.append(
            {"field": str(Plan._meta.get_field(field).verbose_name), "old": old, "new": _display(plan, field)}
        )
    if "year" in fields:
        plan.area_set = _area_set_for(plan.year)
    plan.full_clean()
    if legal_bases is not None:
        old_bases = _basis_labels(plan)
        new_bases = [str(document) for document in legal_bases]
        if old_bases != new_bases:
            _set_legal_bases(plan, legal_bases)
            changes.append({"field": "căn cứ", "old": "; ".join(old_bases), "new": "; ".join(new_bases)})
    if changes:
        plan.save()
        PlanChange.objects.create(plan=plan, changed_by=by, action="Sửa kế hoạch", changes=changes)
    return plan


def _require_printable(plan: Plan) -> None:
    missing = []
    if not plan.signer_name or not plan.signer_position:
        missing.append("người ký và chức vụ")
    if not plan.recipient_list():
        missing.append("nơi nhận")
    if not plan.basis_links.exists():
        missing.append("căn cứ")
    if missing:
        raise ValidationError(f"Chưa thể ban hành: thiếu {', '.join(missing)}.")


@transaction.atomic
def plan_issue(*, plan: Plan, by: User) -> Plan:
    """draft → issued: the number, date and signer are locked from here on."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError("Chỉ kế hoạch dự thảo mới có thể ban hành.")
    _require_printable(plan)
    plan.status = Plan.Status.ISSUED
    plan.save(update_fields=["status", "updated_at"])
    PlanChange.objects.create(
        plan=plan,
        changed_by=by,
        action="Ban hành kế hoạch",
        changes=[{"field": "trạng thái", "old": "Dự thảo", "new": "Đã ban hành"}],
    )
    return plan


@transaction.atomic
def plan_close(*, plan: Plan, by: User) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.ISSUED:
        raise ValidationError("Chỉ kế hoạch đã ban hành mới có thể kết thúc.")
    plan.status = Plan.Status.CLOSED
    plan.save(update_fields=["status", "updated_at"])
    PlanChange.objects.create(
        plan=plan,
        changed_by=by,
        action="Kết thúc kế hoạch",
        changes=[{"field": "trạng thái", "old": "Đã ban hành", "new": "Đã kết thúc"}],
    )
    return plan


def legal_document_create(
    *, kind: str, number: str, issued_on: datetime.date, issuer: str, summary: str = ""
) -> LegalDocument:
    document = LegalDocument(
        kind=kind,
        number=number.strip().replace(" ", ""),
        issued_on=issued_on,
        issuer=issuer.strip(),
        summary=summary.strip(),
    )
    document.full_clean()
    document.save()
    return document
