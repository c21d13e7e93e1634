# TeamHub production image: gunicorn for web, the same image runs the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    TEAMHUB_ENV=production TEAMHUB_VAR_DIR=/app/var

# WeasyPrint (the meeting brief's PDF) needs Pango, HarfBuzz's subsetter and a fallback
# font at run time; the brief's own font (Inter) is vendored under static/vendor/fonts/.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml requirements.lock README.md ./
RUN pip install -c requirements.lock .
COPY . .

# Translations are compiled and static files collected at build time; the values below
# exist only for this step.
RUN python scripts/compile_messages.py && SECRET_KEY=build-only ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    CELERY_BROKER_URL=memory:// python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 --home /app teamhub && mkdir -p var && chown -R teamhub var

USER teamhub
EXPOSE 8000
CMD ["gunicorn", "teamhub.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4", "--access-logfile", "-"]
