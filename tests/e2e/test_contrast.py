"""Text, buttons and badges meet WCAG 2.1 AA contrast (4.5:1, 3:1 for large text) on the main pages of each
role, as axe-core (vendored in static/vendor/) measures them in the browser on the demo agency's data."""

from urllib.parse import urljoin

import pytest
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from plans.models import Plan
from tasks.models import ProgressUpdate, Task
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_plan_journey import log_in

pytestmark = pytest.mark.e2e

AXE_STATIC = "vendor/axe-core-4.10.2/axe.min.js"

# Every <details> opened first, so the forms folded inside ("Trả lại…") are measured too.
RUN_AXE = """async () => {
  document.querySelectorAll("details").forEach((details) => { details.open = true; });
  const results = await axe.run(document, {runOnly: ["color-contrast"], resultTypes: ["violations"]});
  return results.violations.flatMap((violation) => violation.nodes.map((node) => ({
    target: node.target.join(" "),
    html: node.html.slice(0, 160),
    summary: (node.any[0] && node.any[0].message) || node.failureSummary,
  })));
}"""


def contrast_violations(page, url):
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    page.add_script_tag(url=urljoin(url, static(AXE_STATIC)))  # from the site: the page's policy allows it
    return page.evaluate(RUN_AXE)


def pages_of_each_role():
    today = timezone.localdate()
    plan = Plan.objects.get(agency__code="SKHĐT", year=today.year)
    head = User.objects.get(username="truongphong")
    pending = Task.objects.filter(
        plan=plan, lead_department=head.department, progress_updates__review=ProgressUpdate.Review.PENDING
    ).first()
    assert pending is not None, "the demo has a completion report waiting for the head"
    own_task = Task.objects.filter(plan=plan, assignees__username="chuyenvien").first()
    plan_pages = [
        reverse("plans:list"),
        reverse("plans:detail", args=[plan.pk]),
        reverse("tasks:plan_tasks", args=[plan.pk]),
    ]
    return {
        "chuyenvien": [
            reverse("tasks:mine"),
            reverse("tasks:detail", args=[own_task.pk]),
            reverse("notifications:list"),
        ],
        "truongphong": [
            reverse("tasks:department"),
            reverse("tasks:detail", args=[pending.pk]),  # "Duyệt hoàn thành" / "Trả lại"
            *plan_pages,
        ],
        "lanhdao": [
            reverse("dashboards:home"),
            reverse("dashboards:plan", args=[plan.pk]),
            reverse("reports:list", args=[plan.pk]),
            reverse("evaluations:list"),
            reverse("ratings:list"),
        ],
        "vanthu": [
            *plan_pages,
            reverse("reports:list", args=[plan.pk]),
            reverse("evaluations:list"),
            reverse("ratings:list"),
            reverse("notifications:list"),
        ],
    }


def test_the_main_pages_of_each_role_meet_aa_contrast(demo, browser, live_server):
    found = {}  # (element, what axe measured) → the pages it is on: the menu's shows once, not per page
    checked = 0
    for username, urls in pages_of_each_role().items():
        context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
        try:
            page = context.new_page()
            page.set_default_timeout(15_000)
            log_in(page, live_server, username)
            page.wait_for_url(lambda url: "/dang-nhap/" not in url)
            for url in urls:
                for node in contrast_violations(page, f"{live_server.url}{url}"):
                    found.setdefault((node["html"], node["summary"]), []).append(f"{username} {url}")
                checked += 1
            if username == "truongphong":
                ARTIFACTS.mkdir(exist_ok=True)
                page.goto(f"{live_server.url}{reverse('tasks:department')}")
                page.screenshot(path=str(ARTIFACTS / "contrast-department.png"), full_page=True)
        finally:
            context.close()
    assert checked >= 20
    report = [
        f"{html}\n    {summary}\n    on {', '.join(pages[:3])}" for (html, summary), pages in found.items()
    ]
    assert not found, f"{len(found)} element(s) below WCAG AA contrast:\n" + "\n".join(report)
