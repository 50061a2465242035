"""Settings come from the environment, strictly: bad values stop the start-up instead of guessing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cchc.env import read, read_bool, read_int, read_list, read_margins

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_VARIABLES = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CCHC_VAR_DIR",
    "DEMO_ALLOWED",
    "SECURE_SSL_REDIRECT",
]


def import_settings(env_changes: dict, code: str = "") -> subprocess.CompletedProcess:
    """Import cchc.settings in a fresh interpreter with the test's environment, then run code."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    for name in SETTINGS_VARIABLES:
        env.pop(name, None)
        env.pop(f"{name}_FILE", None)
    env.update(env_changes)
    return subprocess.run(
        [sys.executable, "-c", f"import cchc.settings as settings\n{code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("word", ["true", "True", "1", " TRUE "])
def test_true_words_read_as_true(monkeypatch, word):
    monkeypatch.setenv("DEBUG", word)
    assert read_bool("DEBUG", default=False) is True


@pytest.mark.parametrize("word", ["false", "FALSE", "0"])
def test_false_words_read_as_false(monkeypatch, word):
    monkeypatch.setenv("DEBUG", word)
    assert read_bool("DEBUG", default=True) is False


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "2", "flase"])
def test_any_other_boolean_word_is_refused(monkeypatch, word):
    monkeypatch.setenv("DEBUG", word)
    with pytest.raises(ImproperlyConfigured, match=f"DEBUG='{word}' is not a boolean"):
        read_bool("DEBUG", default=True)


def test_an_unset_or_empty_variable_takes_the_default(monkeypatch):
    monkeypatch.delenv("DEBUG", raising=False)
    assert read_bool("DEBUG", default=True) is True
    monkeypatch.setenv("DEBUG", "")
    assert read_bool("DEBUG", default=False) is False


def test_numbers_and_lists_are_parsed_strictly(monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_AGE", "3600")
    assert read_int("SESSION_COOKIE_AGE", 1) == 3600
    monkeypatch.setenv("SESSION_COOKIE_AGE", "1h")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        read_int("SESSION_COOKIE_AGE", 1)
    monkeypatch.setenv("ALLOWED_HOSTS", " cchc.example.gov.vn, ,localhost ")
    assert read_list("ALLOWED_HOSTS", []) == ["cchc.example.gov.vn", "localhost"]


def test_document_margins_are_read_within_the_decrees_ranges(monkeypatch):
    assert read_margins("DOCUMENT_MARGINS_MM", "20,20,30,15") == {
        "top": 20,
        "bottom": 20,
        "left": 30,
        "right": 15,
    }
    monkeypatch.setenv("DOCUMENT_MARGINS_MM", "25, 22.5, 35, 20")
    assert read_margins("DOCUMENT_MARGINS_MM", "20,20,30,15")["bottom"] == 22.5
    monkeypatch.setenv("DOCUMENT_MARGINS_MM", "20,20,25,15")
    with pytest.raises(ImproperlyConfigured, match="left margin must be 30–35 mm"):
        read_margins("DOCUMENT_MARGINS_MM", "20,20,30,15")
    monkeypatch.setenv("DOCUMENT_MARGINS_MM", "20,20,30")
    with pytest.raises(ImproperlyConfigured, match="four numbers"):
        read_margins("DOCUMENT_MARGINS_MM", "20,20,30,15")


def test_a_secret_is_read_from_the_file_named_by_its_file_variable(monkeypatch, tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("  from-a-file-0123456789  \n", encoding="utf-8")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    assert read("SECRET_KEY") == "from-a-file-0123456789"


def test_a_secret_given_both_directly_and_as_a_file_is_refused(monkeypatch, tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("from-a-file", encoding="utf-8")
    monkeypatch.setenv("SECRET_KEY", "direct")
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    with pytest.raises(ImproperlyConfigured, match="either SECRET_KEY or SECRET_KEY_FILE"):
        read("SECRET_KEY")


def test_an_unreadable_secret_file_is_refused(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FILE=.* cannot be read"):
        read("SECRET_KEY")


def test_the_application_refuses_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    result = import_settings({"DEBUG": "false", "CCHC_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) is required when DEBUG is off" in result.stderr


def test_the_application_refuses_to_start_on_a_mistyped_debug(tmp_path):
    result = import_settings({"DEBUG": "yes", "CCHC_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "DEBUG='yes' is not a boolean" in result.stderr


def test_production_settings_take_the_secret_key_from_a_file(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("k" * 60 + "\n", encoding="utf-8")
    result = import_settings(
        {"DEBUG": "false", "SECRET_KEY_FILE": str(secret), "CCHC_VAR_DIR": str(tmp_path)},
        "print(settings.SECRET_KEY == 'k' * 60, settings.DEBUG, settings.SESSION_COOKIE_SECURE)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False", "True"]


def test_the_database_is_a_sqlite_file_in_the_var_directory_by_default(tmp_path):
    result = import_settings(
        {"CCHC_VAR_DIR": str(tmp_path)},
        "db = settings.DATABASES['default']\nprint(db['ENGINE'])\nprint(db['NAME'])",
    )
    assert result.returncode == 0, result.stderr
    engine, name = result.stdout.splitlines()
    assert engine == "django.db.backends.sqlite3"
    assert Path(name) == tmp_path / "db.sqlite3"


def test_without_a_broker_jobs_run_in_process(tmp_path):
    result = import_settings({"CCHC_VAR_DIR": str(tmp_path)}, "print(settings.CELERY_TASK_ALWAYS_EAGER)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_every_variable_the_settings_read_is_documented_in_env_example():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    settings_source = (root / "cchc" / "settings.py").read_text(encoding="utf-8")
    read_names = set(re.findall(r"read(?:_bool|_int|_list)?\(\s*\"([A-Z_]+)\"", settings_source))
    documented = set(
        re.findall(r"^#?\s*([A-Z_]+)=", (root / ".env.example").read_text(encoding="utf-8"), re.MULTILINE)
    )
    assert read_names, "the settings read no variables?"
    assert read_names - documented == set()


def test_cached_pages_of_another_release_are_never_read(tmp_path):
    from cchc.env import templates_digest

    (tmp_path / "tasks").mkdir()
    page = tmp_path / "tasks" / "_task_row.html"
    page.write_text("<tr>{{ task.number }}</tr>")
    before = templates_digest(tmp_path)
    assert templates_digest(tmp_path) == before
    page.write_text("<tr>{{ task.number }} {{ task.content }}</tr>")
    assert templates_digest(tmp_path) != before
