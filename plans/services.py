"""Every write to plans and legal documents goes through these functions; every change of a plan is
recorded through record_change()."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import Agency, User
from accounts.services import count_data_change
from cchc.text import nfc
from plans.access import can_edit_plans
from plans.models import (
    LegalDocument,
    Plan,
    PlanChange,
    PlanLegalBasis,
    PlanSection,
    ReformArea,
    ReformAreaSet,
)

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
    "addressees",
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


def record_change(*, plan: Plan, by: User, action: str, changes: Sequence[dict] = ()) -> PlanChange:
    """The one place every change of a plan ends in, inside the write's transaction: the record of who
    changed what (PlanChange: each field's old and new value), and one more change of the agency's data
    (its status, number and title show on the agency's dashboards and task tables)."""
    change = PlanChange.objects.create(plan=plan, changed_by=by, action=action, changes=list(changes))
    count_data_change(plan.agency_id)
    return change


def _require_editor(by: User, agency_id: int) -> None:
    if not can_edit_plans(by, agency_id):
        raise PermissionDenied("Chỉ văn thư, Văn phòng của cơ quan mới thay đổi kế hoạch.")


def _area_set_for(year: int) -> ReformAreaSet:
    area_set = ReformAreaSet.for_year(year)
    if area_set is None:
        raise ValidationError({"year": f"Chưa có bộ lĩnh vực CCHC cho năm {year}."})
    return area_set


def _set_legal_bases(plan: Plan, documents: Sequence[LegalDocument]) -> None:
    """The plan's bases, in order: documents of the plan's own agency only (LegalDocument)."""
    foreign = [str(document) for document in documents if document.agency_id != plan.agency_id]
    if foreign:
        raise ValidationError(f"Căn cứ phải thuộc danh mục văn bản của cơ quan: {'; '.join(foreign)}.")
    plan.basis_links.all().delete()
    PlanLegalBasis.objects.bulk_create(
        PlanLegalBasis(plan=plan, document=document, position=position)
        for position, document in enumerate(documents, start=1)
    )


def _basis_labels(plan: Plan) -> list[str]:
    return [str(link.document) for link in plan.basis_links.select_related("document")]


@transaction.atomic
def plan_create(*, agency: Agency, by: User, legal_bases: Sequence[LegalDocument] = (), **fields) -> Plan:
    _require_editor(by, agency.pk)
    plan = Plan(agency=agency, **fields)
    plan.area_set = _area_set_for(plan.year)
    plan.full_clean()
    plan.save()
    _set_legal_bases(plan, legal_bases)
    record_change(plan=plan, by=by, action="Tạo kế hoạch")
    return plan


@transaction.atomic
def plan_update(
    *, plan: Plan, by: User, legal_bases: Sequence[LegalDocument] | None = None, **fields
) -> Plan:
    """Apply edits and record each changed field; identifying fields are locked once issued."""
    _require_editor(by, plan.agency_id)
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
        record_change(plan=plan, by=by, action="Sửa kế hoạch", changes=changes)
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
    _require_editor(by, plan.agency_id)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError("Chỉ kế hoạch dự thảo mới có thể ban hành.")
    _require_printable(plan)
    plan.status = Plan.Status.ISSUED
    plan.save(update_fields=["status", "updated_at"])
    _take_snapshot(plan)
    record_change(
        plan=plan,
        by=by,
        action="Ban hành kế hoạch",
        changes=[{"field": "trạng thái", "old": "Dự thảo", "new": "Đã ban hành"}],
    )
    return plan


def _take_snapshot(plan: Plan) -> None:
    """Store the whole printed document of the issued plan as it stands (tasks.documents explains when
    a reprint reads it)."""
    from cchc.printing import registry, snapshot

    plan.issued_snapshot = snapshot.dump(registry.build("plan", plan.pk))
    plan.save(update_fields=["issued_snapshot", "updated_at"])


def can_seal_snapshot(plan: Plan) -> bool:
    """An issued plan entered after the fact whose snapshot holds no annex row yet."""
    from cchc.printing import snapshot

    return plan.status == Plan.Status.ISSUED and not snapshot.table_rows(plan.issued_snapshot or {})


@transaction.atomic
def plan_seal_snapshot(*, plan: Plan, by: User) -> Plan:
    """ "Chốt bản đã ký": the clerk who recorded an already-signed plan and then entered or imported its
    annex fixes the printed document as signed, once; a plan issued with its annex is fixed already."""
    _require_editor(by, plan.agency_id)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not can_seal_snapshot(plan):
        raise ValidationError("Bản đã ký của kế hoạch này đã được chốt, không thể chốt lại.")
    if not plan.tasks.exists():
        raise ValidationError("Kế hoạch chưa có nhiệm vụ nào trong phụ lục: nhập phụ lục trước khi chốt.")
    _take_snapshot(plan)
    record_change(plan=plan, by=by, action="Chốt bản đã ký")
    return plan


@transaction.atomic
def plan_close(*, plan: Plan, by: User) -> Plan:
    _require_editor(by, plan.agency_id)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.ISSUED:
        raise ValidationError("Chỉ kế hoạch đã ban hành mới có thể kết thúc.")
    plan.status = Plan.Status.CLOSED
    plan.save(update_fields=["status", "updated_at"])
    record_change(
        plan=plan,
        by=by,
        action="Kết thúc kế hoạch",
        changes=[{"field": "trạng thái", "old": "Đã ban hành", "new": "Đã kết thúc"}],
    )
    return plan


def legal_document_create(
    *,
    agency: Agency,
    by: User,
    kind: str,
    number: str,
    issued_on: datetime.date,
    issuer: str,
    summary: str = "",
) -> LegalDocument:
    """A document in the agency's own list, entered by its clerk; another agency's document of the same
    number and date is another record (LegalDocument)."""
    _require_editor(by, agency.pk)
    document = LegalDocument(
        agency=agency,
        kind=kind,
        number=number.strip().replace(" ", ""),
        issued_on=issued_on,
        issuer=issuer.strip(),
        summary=summary.strip(),
    )
    document.full_clean()
    document.save()
    return document


def _agencies_using(area_set_id: int) -> list[int]:
    return list(Agency.objects.filter(plans__area_set_id=area_set_id).values_list("pk", flat=True).distinct())


@transaction.atomic
def reform_area_save(*, area: ReformArea) -> ReformArea:
    """Save a reform area as the admin edited it (or a new one): the task tables and dashboards of every
    agency with a plan of its set name it, so they are computed afresh."""
    before = ReformArea.objects.filter(pk=area.pk).values_list("area_set_id", flat=True).first()
    area.full_clean()
    area.save()
    for area_set_id in {area.area_set_id, before} - {None}:
        count_data_change(*_agencies_using(area_set_id))
    return area


@transaction.atomic
def reform_area_delete(*, area: ReformArea) -> None:
    """Delete a reform area no task is filed under (the database protects the others)."""
    agency_ids = _agencies_using(area.area_set_id)
    area.delete()
    count_data_change(*agency_ids)


def section_sort_key(parent: PlanSection | None, position: int) -> str:
    """The section's place in the plan: its parent's key, then "1" and its written place among the
    siblings ("10003" + "10001" for III.1). Letters and digits only, so that any database collation
    orders the keys as their bytes do; a task's key continues its section's with "0"
    (tasks.services.sort_key), which puts a section's own tasks before its sub-sections."""
    own = f"1{position:04d}"
    return f"{parent.sort_key}{own}" if parent is not None else own


@transaction.atomic
def section_create(
    *,
    plan: Plan,
    by: User,
    label: str = "",
    title: str = "",
    parent: PlanSection | None = None,
    area: ReformArea | None = None,
    position: int | None = None,
) -> PlanSection:
    """A section of the plan's annex (I, II, III.1 …) as written; placed last among its siblings
    unless `position` says where."""
    _require_editor(by, plan.agency_id)
    if parent is not None and parent.plan_id != plan.pk:
        raise ValidationError({"parent": "Mục cha phải thuộc cùng kế hoạch."})
    if area is not None and area.area_set_id != plan.area_set_id:
        raise ValidationError({"area": "Lĩnh vực phải thuộc bộ lĩnh vực CCHC của kế hoạch."})
    if position is None:
        siblings = plan.sections.filter(parent=parent)
        position = (max(siblings.values_list("position", flat=True), default=0) or 0) + 1
    section = PlanSection(
        plan=plan,
        parent=parent,
        label=nfc(label).strip(),
        title=nfc(title).strip(),
        area=area,
        position=position,
        depth=parent.depth + 1 if parent is not None else 0,
        sort_key=section_sort_key(parent, position),
    )
    section.full_clean(exclude=["sort_key"])
    section.save()
    count_data_change(plan.agency_id)
    return section


@transaction.atomic
def section_update(*, section: PlanSection, by: User, title: str, area: ReformArea | None) -> PlanSection:
    """A section's title as written and its own reform area (the import then brings the area of each
    task inside in line with it)."""
    _require_editor(by, section.plan.agency_id)
    if area is not None and area.area_set_id != section.plan.area_set_id:
        raise ValidationError({"area": "Lĩnh vực phải thuộc bộ lĩnh vực CCHC của kế hoạch."})
    section.title, section.area = nfc(title).strip(), area
    section.full_clean(exclude=["sort_key"])
    section.save(update_fields=["title", "area"])
    count_data_change(section.plan.agency_id)
    return section
