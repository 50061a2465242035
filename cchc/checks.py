"""System checks for what must be true when the application starts."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def broker_configured_consistently(app_configs, **kwargs):
    errors = []
    if settings.CELERY_BROKER_URL and not settings.CELERY_BROKER_URL.startswith(
        ("redis://", "rediss://", "memory://")
    ):
        errors.append(
            Error(
                "CELERY_BROKER_URL must be a redis:// URL.",
                hint="Set CELERY_BROKER_URL=redis://127.0.0.1:6379/0 or leave it unset to run jobs in-process.",
                id="cchc.E001",
            )
        )
    return errors


@register(deploy=True)
def production_database(app_configs, **kwargs):
    warnings = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        warnings.append(
            Warning(
                "Production should run on PostgreSQL.",
                hint="Set DATABASE_URL=postgres://user:password@host:5432/name.",
                id="cchc.W001",
            )
        )
    if settings.CELERY_TASK_ALWAYS_EAGER:
        warnings.append(
            Warning(
                "Background jobs run in-process: no broker is configured.",
                hint="Set CELERY_BROKER_URL (or REDIS_URL) and run a Celery worker and beat.",
                id="cchc.W002",
            )
        )
    return warnings
