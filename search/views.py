from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from search import queries
from search.queries import MAX_QUERY, MIN_TERM, search


@login_required
@require_safe
def results(request):
    """The top bar's search box: tasks, plans and legal documents of every year the user may read."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    found = search(request.user, query, request.GET.get("page")) if query else None
    page_numbers = []
    if found is not None and found.page.paginator.num_pages > 1:
        page_numbers = list(
            found.page.paginator.get_elided_page_range(found.page.number, on_each_side=2, on_ends=1)
        )
    return render(
        request,
        "search/results.html",
        {
            "query": query,
            "too_short": bool(query) and found is None,
            "count_cap": queries.COUNT_CAP,
            "min_length": MIN_TERM,
            "found": found,
            "page": found.page if found else None,
            "page_numbers": page_numbers,
            "kept_query": _kept(request),
        },
    )


def _kept(request) -> str:
    kept = request.GET.copy()
    kept.pop("page", None)
    return kept.urlencode()
