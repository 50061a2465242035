"""The pages work under the Content-Security-Policy, and the journeys' watch (conftest) sees what it refuses."""

import pytest

from tests.e2e import conftest

pytestmark = pytest.mark.e2e


def test_an_injected_inline_script_is_refused_and_the_watch_reports_it(page, live_server):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_role("button", name="Đăng nhập").wait_for()
    # as an injected <script> would come in; Playwright's evaluate itself is not subject to the policy
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "document.body.dataset.injected = 'yes';";
            document.head.append(script);
        }"""
    )
    page.wait_for_timeout(200)  # the console message arrives after the refusal
    assert page.evaluate("document.body.dataset.injected") is None  # it did not run
    assert any("script-src" in found for found in conftest.CSP_VIOLATIONS)
    conftest.CSP_VIOLATIONS.clear()  # expected here: the watch must not fail this test


def test_the_plan_task_tables_select_all_runs_from_its_static_file(demo, page, live_server):
    from django.utils import timezone

    from plans.models import Plan
    from tests.e2e.test_plan_journey import log_in

    plan = Plan.objects.get(agency__code="SKHĐT", year=timezone.localdate().year)
    log_in(page, live_server, "vanthu")
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/nhiem-vu/")
    page.get_by_label("Chọn tất cả nhiệm vụ trên trang").check()
    picks = page.locator("#bulk-form .task-pick")
    assert picks.count() > 0
    assert all(picks.nth(index).is_checked() for index in range(picks.count()))
