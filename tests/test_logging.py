"""A refused request logs one line; a server error keeps its traceback (cchc.log, settings.LOGGING)."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import include, path, reverse

ROOT = Path(__file__).resolve().parents[1]


def refuse(request):
    raise PermissionDenied


def fail(request):
    raise RuntimeError("hỏng")


# the project's URLconf and two views for the tests below (@pytest.mark.urls and the subprocess use it);
# the error pages link the project's pages
urlpatterns = [path("cam/", refuse), path("loi/", fail), path("", include("cchc.urls"))]


def django_request_records(caplog):
    return [record for record in caplog.records if record.name == "django.request"]


def test_a_403_logs_one_line_without_its_traceback(caplog, staff):
    client = Client()
    client.force_login(staff)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("plans:create"))
    assert response.status_code == 403
    [record] = django_request_records(caplog)
    assert record.getMessage() == f"Forbidden (Permission denied): {reverse('plans:create')}"
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


@pytest.mark.urls("tests.test_logging")
def test_a_500_keeps_its_traceback(caplog, db):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = Client(raise_request_exception=False).get("/loi/")
    assert response.status_code == 500
    [record] = django_request_records(caplog)
    assert record.getMessage() == "Internal Server Error: /loi/"
    assert record.exc_info and record.exc_info[0] is RuntimeError
    assert "Traceback" in caplog.text and "RuntimeError: hỏng" in caplog.text


SCRIPT = """
import django
django.setup()
from django.test import Client, override_settings
with override_settings(ROOT_URLCONF="tests.test_logging"):
    client = Client(raise_request_exception=False, HTTP_HOST="localhost")
    client.get("/cam/")
    client.get("/loi/")
"""


def test_the_console_prints_a_403_once_on_one_line_and_a_500_with_its_traceback(tmp_path):
    # the settings' own logging configuration as `manage.py runserver` applies it under DEBUG, where
    # Django's console handler used to print every record a second time beside the root's
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cchc.settings",
        "DEBUG": "true",
        "LOG_LEVEL": "INFO",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines.count("Forbidden (Permission denied): /cam/") == 1, result.stderr
    assert lines.count("Internal Server Error: /loi/") == 1, result.stderr
    refused = lines.index("Forbidden (Permission denied): /cam/")
    failed = lines.index("Internal Server Error: /loi/")
    assert failed == refused + 1, "the 403 printed more than its one line"
    assert lines[failed + 1] == "Traceback (most recent call last):"
    assert result.stderr.count("Traceback") == 1
    assert lines[-1] == "RuntimeError: hỏng"


def test_the_development_server_keeps_one_dated_line_per_request():
    from django.utils.log import ServerFormatter

    server = logging.getLogger("django.server")
    assert not server.propagate
    assert any(isinstance(handler.formatter, ServerFormatter) for handler in server.handlers)
    assert not logging.getLogger("django").handlers, "Django's console handler would print records twice"
