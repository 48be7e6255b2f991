# syntax=docker/dockerfile:1
# Yingshang gateway: build from the repository root (deploy/compose.yaml does):
#   docker build -f deploy/docker/gateway.Dockerfile -t yingshang/gateway .
# The source layout is kept under /app: migrations sit beside the package (alembic.ini,
# migrations/) and the county seed at /app/deploy/seed, where the code looks for them.

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
COPY shared/ shared/
COPY gateway/ gateway/
RUN pip install -e shared -e gateway \
 && find /app -name __pycache__ -type d -prune -exec rm -rf {} + \
 && rm -rf gateway/tests shared/tests

FROM python:3.11-slim-bookworm AS runtime
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    YS_ENV=production YS_VAR_DIR=/var/lib/yingshang YS_GATEWAY_PORT=8000
RUN groupadd --system --gid 10001 yingshang \
 && useradd --system --uid 10001 --gid yingshang --home-dir /var/lib/yingshang \
      --shell /usr/sbin/nologin yingshang \
 && install -d -o yingshang -g yingshang -m 0750 /var/lib/yingshang
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
COPY deploy/seed/ /app/deploy/seed/
WORKDIR /app
USER yingshang:yingshang
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
CMD ["uvicorn", "--factory", "ys_gateway.app:create_app", "--host", "0.0.0.0", "--port", "8000", "--no-access-log"]
