"""System checks for what must be true when the application starts."""

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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


@register(Tags.database)
def database_from_this_version(app_configs, databases=None, **kwargs):
    """A database migrated by a release before the migrations were started afresh (issue "One house")
    records migrations that no longer exist; migrating it would fail half-way. Say what to do instead."""
    from django.db import DatabaseError, connections
    from django.db.migrations.loader import MigrationLoader

    errors = []
    for alias in databases or ():
        connection = connections[alias]
        try:
            loader = MigrationLoader(connection, ignore_no_migrations=True)
            applied = set(loader.applied_migrations)
        except DatabaseError:
            continue  # no database yet, or not reachable: migrate says so itself
        ours = {app.label for app in apps.get_app_configs() if app.path.startswith(str(settings.BASE_DIR))}
        stale = sorted(f"{app}.{name}" for app, name in applied - set(loader.disk_migrations) if app in ours)
        if stale:
            where = connection.settings_dict["NAME"]
            errors.append(
                Error(
                    f"Cơ sở dữ liệu {where} được tạo bởi một phiên bản cũ của CCHC "
                    f"(có các bước chuyển đổi không còn trong mã nguồn: {', '.join(stale[:3])}"
                    f"{'…' if len(stale) > 3 else ''}).",
                    hint=(
                        "Với dữ liệu mẫu (SQLite): xóa tệp trên rồi chạy lại `make run`, dữ liệu mẫu sẽ được "
                        "nạp lại. Với PostgreSQL: tạo một cơ sở dữ liệu mới, trống, và đặt DATABASE_URL tới đó."
                    ),
                    id="cchc.E004",
                )
            )
    return errors
