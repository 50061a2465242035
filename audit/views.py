from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from accounts.access import administers_agency
from audit import exporting, log
from audit.access import get_audited_agency
from audit.forms import LogFilterForm
from cchc.xlsx_style import XLSX_CONTENT_TYPE
from tasks.exporting import attachment

PAGE_SIZE = 50


@login_required
@require_safe
def change_log(request):
    """Every recorded change of the agency, newest first: tasks, plans, reports, scoring, ratings,
    people and departments; filtered by dates, person, kind of subject, department and text."""
    agency = get_audited_agency(request)
    form = LogFilterForm(request.GET, agency=agency)
    page = Paginator(log.keys(agency.pk, form.criteria()), PAGE_SIZE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "agency": agency,
            "form": form,
            "page": page,
            "entries": log.entries(page.object_list, administers=administers_agency(request.user)),
            "page_numbers": list(
                page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
            ),
            "kept_query": kept.urlencode(),
        },
    )


@login_required
@require_safe
def change_log_export(request):
    """The rows the page's filters select (the newest exporting.EXPORT_LIMIT) as an .xlsx workbook."""
    agency = get_audited_agency(request)
    form = LogFilterForm(request.GET, agency=agency)
    keys = log.keys(agency.pk, form.criteria())
    total = keys.count()
    content = exporting.log_workbook(
        log.entries(keys[: exporting.EXPORT_LIMIT]),
        agency=agency,
        filters=form.described(),
        total=total,
        now=timezone.localtime(),
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment(f"nhat-ky-thay-doi-{timezone.localdate():%Y-%m-%d}.xlsx")
    patch_cache_control(response, private=True, no_store=True)
    return response
