# The registry's image for compose.yaml: web, workers and beat run the same image with different commands.
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/registry
COPY . .
ENV DJANGO_SETTINGS_MODULE=config.settings.production
RUN pip install --no-cache-dir . \
    && DJANGO_SECRET_KEY=build REGISTRY_KEY_SECRET=build-only-secret-not-used-at-run-time DJANGO_ALLOWED_HOSTS=x \
       REGISTRY_PUBLIC_URL=https://build.invalid python manage.py collectstatic --no-input \
    && useradd --system registry && mkdir -p var && chown -R registry var
USER registry
EXPOSE 8000
