FROM python:3.11-slim
WORKDIR /app
COPY . /app
RUN python dev.py setup && ln -s /app/.venv/bin/einvoice /usr/local/bin/einvoice
USER nobody
