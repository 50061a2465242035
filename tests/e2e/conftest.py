"""Real-browser journeys: Playwright for Python driving the system's Chromium (never a downloaded one)."""

import os
import shutil
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DEMO_PASSWORD = "demo-journey-2019"

# Playwright's sync API runs an event loop in this thread; the live server's database work happens
# in its own thread, and the test's own ORM calls are synchronous by design.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def wait_for_the_live_servers_connections(timeout=10):
    """The live server answers each browser connection in a thread of its own, kept while the browser keeps
    the connection alive; when it ends, the thread closes its database connections, the tests' in-memory
    SQLite one included, which refuses a close from another thread once the live server has stopped
    sharing it (a "DatabaseError: DatabaseWrapper objects created in a thread..." traceback per thread)."""
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(max(0.0, deadline - time.monotonic()))


# Every page a journey opens must work under the Content-Security-Policy: what the browser refuses
# (Chromium logs "Refused to … because it violates the following Content Security Policy directive",
# and the page gets a securitypolicyviolation event) fails the test that opened it.
CSP_VIOLATIONS: list[str] = []
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
});
"""


def _watch_policy(context):
    context.add_init_script(REPORT_VIOLATIONS)
    context.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and CSP_VIOLATIONS.append(f"{message.page.url if message.page else '?'}: {message.text}")
        ),
    )
    return context


@pytest.fixture(autouse=True)
def _no_csp_violations():
    CSP_VIOLATIONS.clear()
    yield
    if CSP_VIOLATIONS:
        found = "\n".join(dict.fromkeys(CSP_VIOLATIONS))
        CSP_VIOLATIONS.clear()
        pytest.fail(f"The Content-Security-Policy refused something on these pages:\n{found}")


# The browser needs the live server, so that pytest closes the browser (and with it every connection
# it holds to the server) before it stops the server.
@pytest.fixture(scope="session")
def browser(live_server):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Chromium is missing: run `apt-get install -y chromium` (make test does it when run as root)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        new_context = browser.new_context
        browser.new_context = lambda **options: _watch_policy(new_context(**options))  # every journey's
        yield browser
        browser.close()
    wait_for_the_live_servers_connections()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.DEMO_ALLOWED = True
    settings.DEMO_PASSWORD = DEMO_PASSWORD
    settings.VAR_DIR = tmp_path
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def screenshot(page):
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take
