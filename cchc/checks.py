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


@register()
def document_printing_ready(app_configs, **kwargs):
    """Official documents print in the bundled Tinos with WeasyPrint; without them no PDF comes out."""
    from cchc.printing.pdf import font_paths, fonts_dir

    errors = []
    missing = [path.name for path in font_paths() if not path.is_file()]
    if missing:
        errors.append(
            Error(
                f"The fonts of printed documents are missing from {fonts_dir()}: {', '.join(missing)}.",
                hint="Copy Tinos-{Regular,Bold,Italic,BoldItalic}.ttf from Debian's fonts-croscore "
                "(/usr/share/fonts/truetype/croscore/) into static/fonts/.",
                id="cchc.E002",
            )
        )
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        errors.append(
            Error(
                f"WeasyPrint cannot be loaded: {error}",
                hint="Install Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0) and the weasyprint package.",
                id="cchc.E003",
            )
        )
    return errors
