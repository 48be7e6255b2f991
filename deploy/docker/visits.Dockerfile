# syntax=docker/dockerfile:1
# Yingshang visits: build from the repository root (deploy/compose.yaml does):
#   docker build -f deploy/docker/visits.Dockerfile -t yingshang/visits .
# The source layout is kept under /app: migrations sit beside the package (alembic.ini,
# migrations/) and the county seed at /app/deploy/seed, where the code looks for them.

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
COPY shared/ shared/
COPY svc-visits/ svc-visits/
RUN pip install -e shared -e svc-visits \
 && find /app -name __pycache__ -type d -prune -exec rm -rf {} + \
 && rm -rf svc-visits/tests shared/tests

FROM python:3.11-slim-bookworm AS runtime
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    YS_ENV=production YS_VAR_DIR=/var/lib/yingshang YS_VISITS_PORT=8004
RUN groupadd --system --gid 10001 yingshang \
 && useradd --system --uid 10001 --gid yingshang --home-dir /var/lib/yingshang \
      --shell /usr/sbin/nologin yingshang \
 && install -d -o yingshang -g yingshang -m 0750 /var/lib/yingshang
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
COPY deploy/seed/ /app/deploy/seed/
WORKDIR /app
USER yingshang:yingshang
EXPOSE 8004
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8004/healthz', timeout=2)"]
CMD ["uvicorn", "--factory", "ys_visits.app:create_app", "--host", "0.0.0.0", "--port", "8004", "--no-access-log"]
