"""The printed documents of a round (ratings.documents) as PDF, Word or their tables in Excel, through
cchc.printing.delivery: the summary of the results (the agency's, or one department's with ?department=), the
decision recognising the titles, and a person's rating form. Each view starts with ratings.access: 404
outside the agency, 403 without the right."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from accounts.models import Department
from cchc.printing import delivery
from ratings import access


@login_required
@require_safe
def summary_print(request, pk, fmt):
    """The summary of the round's results: the whole agency for its leaders and office, one department
    (?department=<id>) for them or that department's head."""
    round_ = access.get_round(request.user, pk)
    back_url = reverse("ratings:detail", args=[round_.pk])
    chosen = request.GET.get("department", "").strip()
    if not chosen:
        access.require(access.sees_agency(request.user, round_.agency_id))
        return delivery.deliver(request, "rating_summary", round_, fmt, back_url=back_url, name=str(round_))
    if not chosen.isdigit():
        raise Http404("Không có phòng, đơn vị này.")
    department = get_object_or_404(Department, pk=int(chosen), agency_id=round_.agency_id)
    access.require(
        access.sees_agency(request.user, round_.agency_id) or access.is_head_of(request.user, department.pk)
    )
    return delivery.deliver(
        request,
        "rating_summary",
        round_,
        fmt,
        back_url=back_url,
        name=f"{round_} - {department.name}",
        scope={"department": department.pk},
    )


@login_required
@require_safe
def decision_print(request, pk, fmt):
    """The decision recognising the titles: once decided, for everyone of the agency who sees the round;
    its draft for those who keep the emulation records."""
    round_ = access.get_round(request.user, pk)
    access.require(round_.titles_decided or access.keeps_emulation(request.user, round_))
    return delivery.deliver(
        request,
        "rating_decision",
        round_,
        fmt,
        back_url=reverse("ratings:emulation", args=[round_.pk]),
        name=f"Quyết định công nhận danh hiệu thi đua năm {round_.year}",
    )


@login_required
@require_safe
def form_print(request, pk, fmt):
    """A person's rating form, for whoever may see the rating."""
    rating = access.get_rating(request.user, pk)
    return delivery.deliver(
        request,
        "rating_form",
        rating,
        fmt,
        back_url=reverse("ratings:rating", args=[rating.pk]),
        name=str(rating),
    )
