# One image for every service; docker-compose.yml picks the service with its command.
FROM python:3.11-slim
# PYTHONPATH: the code runs from /app, beside data/ and deploy/rabbitmq/ that it reads
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PYTHONPATH=/app
WORKDIR /app
COPY pyproject.toml README.md ./
COPY shared ./shared
COPY services ./services
COPY data ./data
COPY deploy/rabbitmq ./deploy/rabbitmq
RUN pip install .
RUN useradd --system satupintu && mkdir -p var /var/lib/satupintu/blobs \
    && chown satupintu var /var/lib/satupintu/blobs  # a named volume mounted there takes this owner
USER satupintu
CMD ["satupintu", "--help"]
