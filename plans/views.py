from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import get_readable_agency, readable_agencies, works_in_agency
from cchc.forms import attach_errors
from cchc.printing import delivery
from plans import reference, services
from plans.access import SHOWN_OUTSIDE, can_edit_plans, get_editable_plan, get_viewable_plan, readable_plans_q
from plans.forms import LegalBasisFormSet, NewLegalDocumentForm, PlanForm
from plans.models import LegalDocument, Plan, PlanLegalBasis


def _year_param(request) -> int | None:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


@login_required
@require_safe
def plan_list(request):
    user = request.user
    agency_param = request.GET.get("agency")
    if agency_param:
        agency = get_readable_agency(user, agency_param)
    elif not works_in_agency(user):  # an overseer (or a user of no agency) picks the agency first
        shown = Count("plans", filter=Q(plans__status__in=SHOWN_OUTSIDE) | Q(pk=user.agency_id))
        agencies = readable_agencies(user).annotate(plan_count=shown).order_by("name")
        return render(request, "plans/agency_pick.html", {"agencies": agencies})
    else:
        agency = user.agency

    readable = agency.plans.filter(readable_plans_q(user))  # another agency's drafts stay inside it
    plan_years = set(readable.order_by().values_list("year", flat=True).distinct())
    current_year = timezone.localdate().year
    year = _year_param(request) or max(plan_years, default=current_year)
    years = sorted(plan_years | {current_year, year}, reverse=True)
    plans = readable.filter(year=year).order_by("-issued_on", "-number")
    return render(
        request,
        "plans/plan_list.html",
        {
            "agency": agency,
            "plans": plans,
            "years": years,
            "year": year,
            "can_create": can_edit_plans(user, agency.pk),
            "is_own_agency": agency.pk == user.agency_id,
        },
    )


def _outline(plan) -> tuple[list[dict], list[dict]]:
    """What the plan's page lists of its tasks: the sections of its annex as a tree in their written
    order, each with the number of tasks in it and in the sections inside it; and the areas of the
    plan's set in order, each with the number of tasks outside every section in it (a plan without
    sections, all of its tasks). The counts come from one grouped query over the plan's tasks alone
    (an area's set is shared by every plan of its years, and so are its tasks), the areas and sections
    from the cache (plans.reference); the sections are read only when a task is in one (the annex
    import writes them with their tasks), so an older plan's page costs no query for them."""
    in_section, in_area = {}, {}
    for section_id, area_id, count in (
        plan.tasks.order_by().values_list("section_id", "area_id").annotate(Count("pk"))
    ):
        if section_id is not None:
            in_section[section_id] = in_section.get(section_id, 0) + count
        else:
            in_area[area_id] = in_area.get(area_id, 0) + count
    sections = reference.plan_sections(plan) if in_section else []
    nodes = {
        section.pk: {"pk": section.pk, "heading": section.heading, "task_count": 0, "children": []}
        for section in sections
    }
    tree = []
    for section in reversed(sections):  # children before their parents: their counts add up
        node = nodes[section.pk]
        node["task_count"] += in_section.get(section.pk, 0)
        parent = nodes.get(section.parent_id)
        if parent is None:
            tree.insert(0, node)
        else:
            parent["children"].insert(0, node)
            parent["task_count"] += node["task_count"]
    areas = [
        {"pk": area.pk, "name": area.name, "task_count": in_area.get(area.pk, 0)}
        for area in reference.areas_of(plan.area_set_id)
    ]
    return tree, areas


@login_required
@require_safe
def plan_detail(request, pk):
    plan = get_viewable_plan(request, pk)
    bases = PlanLegalBasis.objects.filter(plan=plan).select_related("document").order_by("position")
    sections, areas = _outline(plan)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "bases": bases,
            "sections": sections,
            "areas": areas,
            "unsectioned": sum(area["task_count"] for area in areas),
            "changes": plan.changes.values("action", "changed_at", "changes", "changed_by__full_name")[:50],
            "can_edit": can_edit_plans(request.user, plan.agency_id),
            "can_seal": services.can_seal_snapshot(plan),
        },
    )


MISSING_BASES = "Trang gửi lên thiếu danh sách căn cứ nên chưa lưu gì. Kiểm tra lại các căn cứ bên dưới rồi bấm lưu lần nữa."


def _plan_forms(request, *, agency, plan=None):
    data = request.POST if request.method == "POST" else None
    documents = LegalDocument.objects.filter(agency=agency)  # the agency's own list, never another's
    if plan is not None:
        initial_bases = [
            {"document": link.document_id, "ORDER": link.position}
            for link in plan.basis_links.order_by("position")
        ]
    else:
        initial_bases = []
    form = PlanForm(data, instance=plan, agency=agency, initial=None if plan else _new_plan_initial(agency))
    bases = LegalBasisFormSet(data, prefix="bases", initial=initial_bases, documents=documents)
    if data is not None and not bases.management_form.is_valid():
        # Posted without the bases' management form (a page from an older version, a hand-made
        # request): nothing is saved, and the bases come back as they were, so the next save works.
        bases = LegalBasisFormSet(prefix="bases", initial=initial_bases, documents=documents)
        form.add_error(None, MISSING_BASES)
    return form, bases, NewLegalDocumentForm(data, prefix="new_doc")


def _new_plan_initial(agency) -> dict:
    today = timezone.localdate()
    last = agency.plans.filter(issued_on__year=today.year).order_by("-number").first()
    return {
        "number": (last.number + 1) if last else 1,
        "symbol": f"KH-{agency.code}",
        "place_name": agency.place_name,
        "year": today.year,
        "issued_on": today,
        "title": f"Cải cách hành chính năm {today.year} của {agency.short_name}",
        "recipients": "UBND tỉnh (b/c)\nSở Nội vụ (b/c)\nLãnh đạo cơ quan\nCác phòng, đơn vị\nLưu: VT, VP.",
    }


def _save_plan(request, *, agency, plan, form, bases, new_doc):
    """Validate all three forms; write everything in one transaction or nothing at all."""
    forms_valid = form.is_valid() & bases.is_valid() & new_doc.is_valid()
    if not forms_valid:
        return None
    fields = dict(form.cleaned_data)
    documents = bases.chosen_documents()
    try:
        with transaction.atomic():
            if new_doc.is_filled():
                document = new_doc.existing_document(agency) or services.legal_document_create(
                    agency=agency,
                    by=request.user,
                    **{
                        name: new_doc.cleaned_data[name]
                        for name in ("kind", "number", "issued_on", "issuer", "summary")
                    },
                )
                if new_doc.cleaned_data["use_as"] == NewLegalDocumentForm.USE_AS_IMPLEMENTED:
                    fields["implements"] = document
                elif document not in documents:
                    documents.append(document)
            if plan is None:
                return services.plan_create(agency=agency, by=request.user, legal_bases=documents, **fields)
            return services.plan_update(plan=plan, by=request.user, legal_bases=documents, **fields)
    except ValidationError as error:
        attach_errors(form, error)
        return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_create(request):
    user = request.user
    if not can_edit_plans(user, user.agency_id):
        raise PermissionDenied("Chỉ văn thư, Văn phòng mới tạo được kế hoạch.")
    agency = user.agency
    form, bases, new_doc = _plan_forms(request, agency=agency)
    if request.method == "POST":
        plan = _save_plan(request, agency=agency, plan=None, form=form, bases=bases, new_doc=new_doc)
        if plan is not None:
            messages.success(request, f"Đã lưu {plan} (dự thảo).")
            return redirect("plans:detail", pk=plan.pk)
        messages.error(request, "Chưa lưu được kế hoạch: xem các lỗi được đánh dấu bên dưới.")
    return render(
        request, "plans/plan_form.html", {"form": form, "bases": bases, "new_doc": new_doc, "agency": agency}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_update(request, pk):
    plan = get_editable_plan(request, pk)
    if plan.status == Plan.Status.CLOSED:
        messages.error(request, "Kế hoạch đã kết thúc, không thể sửa.")
        return redirect("plans:detail", pk=plan.pk)
    form, bases, new_doc = _plan_forms(request, agency=plan.agency, plan=plan)
    if request.method == "POST":
        saved = _save_plan(request, agency=plan.agency, plan=plan, form=form, bases=bases, new_doc=new_doc)
        if saved is not None:
            messages.success(request, f"Đã lưu thay đổi của {saved}.")
            return redirect("plans:detail", pk=saved.pk)
        messages.error(request, "Chưa lưu được thay đổi: xem các lỗi được đánh dấu bên dưới.")
    return render(
        request,
        "plans/plan_form.html",
        {"form": form, "bases": bases, "new_doc": new_doc, "agency": plan.agency, "plan": plan},
    )


@login_required
@require_POST
def plan_issue(request, pk):
    plan = get_editable_plan(request, pk)
    try:
        services.plan_issue(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Đã ban hành {plan}. Số, ngày và người ký đã được khóa.")
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def plan_seal(request, pk):
    """An issued plan entered after the fact: its annex now as signed, the clerk "chốt bản đã ký"
    (tasks.documents prints it from then on as sealed)."""
    plan = get_editable_plan(request, pk)
    try:
        services.plan_seal_snapshot(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Đã chốt bản đã ký của {plan}: bản in lại giữ nguyên như đã ký.")
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def plan_close(request, pk):
    plan = get_editable_plan(request, pk)
    try:
        services.plan_close(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Đã kết thúc {plan}.")
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_safe
def plan_print(request, pk, fmt):
    """Kế hoạch as PDF, Word or its annex in Excel; a draft prints with its DỰ THẢO mark."""
    plan = get_viewable_plan(request, pk)
    return delivery.deliver(
        request, "plan", plan, fmt, back_url=reverse("plans:detail", args=[plan.pk]), name=str(plan)
    )
