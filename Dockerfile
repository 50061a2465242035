# The application image: web (gunicorn), worker and beat (Celery) all run from it; see docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Pango for WeasyPrint's PDF rendering; Croscore fonts (Arimo, Tinos) for Vietnamese text in documents;
# the PostgreSQL client (pg_dump, pg_restore; bookworm's 15, as the compose database) for manage.py backup.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-croscore postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so a code change does not reinstall them: exactly the versions of the
# application's lock (written by `make lock`), each file checked against its hash, wheels only.
COPY requirements/base.txt requirements/
RUN pip install --require-hashes --no-deps --only-binary=:all: -r requirements/base.txt \
    && pip check

COPY . .

# Static files with their hashed names for WhiteNoise. The key exists only for this build step.
RUN DEBUG=false SECRET_KEY=build-time-only-collectstatic-key-not-used-at-runtime-0123456789 \
    CCHC_VAR_DIR=/tmp/build-var python manage.py collectstatic --noinput \
    && rm -rf /tmp/build-var

# Run as an unprivileged user; /data (a volume in compose) holds media and uploaded evidence.
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home cchc \
    && mkdir -p /data/media /data/private \
    && chown -R cchc:cchc /data
USER cchc

ENV CCHC_VAR_DIR=/data \
    MEDIA_ROOT=/data/media \
    PRIVATE_STORAGE_ROOT=/data/private

EXPOSE 8000
CMD ["gunicorn", "cchc.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
