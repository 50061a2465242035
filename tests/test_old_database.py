"""A database migrated before the migrations were started afresh is recognised, and the person running
`make run` is told what to do, before migrate fails half-way with a traceback."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from cchc.checks import database_from_this_version


@pytest.mark.django_db
def test_a_database_of_this_version_passes():
    assert database_from_this_version(None, databases=["default"]) == []


@pytest.mark.django_db
def test_a_database_of_the_old_layout_is_named_with_what_to_do():
    MigrationRecorder(connection).record_applied("plans", "0005_periodic_reports")
    errors = database_from_this_version(None, databases=["default"])
    assert [error.id for error in errors] == ["cchc.E004"]
    assert "plans.0005_periodic_reports" in errors[0].msg
    assert "make run" in errors[0].hint


@pytest.mark.django_db
def test_migrate_stops_on_it_before_touching_anything():
    MigrationRecorder(connection).record_applied("tasks", "0009_gone")
    with pytest.raises(SystemCheckError, match="cchc.E004"):
        call_command("migrate", verbosity=0, skip_checks=False)


def test_the_check_only_runs_when_a_database_is_named():
    assert database_from_this_version(None) == []
