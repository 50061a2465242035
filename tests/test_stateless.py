"""Several web nodes serve one deployment: what a request needs is kept where every node reads it
(sessions in the database, the cache in Redis), and the demo's shared password never reaches production."""

from tests.test_settings import import_settings

PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "cchc.example.gov.vn"}


def test_a_demo_password_left_in_a_production_environment_stops_the_start():
    result = import_settings({**PRODUCTION, "DEMO_PASSWORD": "demo-123"})
    assert result.returncode != 0
    assert "DEMO_PASSWORD is set but the demo is not allowed here" in result.stderr


def test_a_trial_deployment_that_allows_the_demo_may_set_its_password():
    result = import_settings(
        {**PRODUCTION, "DEMO_ALLOWED": "true", "DEMO_PASSWORD": "demo-123"},
        "print(settings.DEMO_PASSWORD)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "demo-123"


def test_sessions_are_kept_in_the_database_every_node_reads():
    result = import_settings(PRODUCTION, "print(settings.SESSION_ENGINE)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.contrib.sessions.backends.db"


def test_with_redis_configured_the_cache_is_the_shared_redis():
    result = import_settings(
        {**PRODUCTION, "REDIS_URL": "redis://127.0.0.1:6379/1"},
        "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["cchc.cache.ResilientRedisCache", "redis://127.0.0.1:6379/1"]
