"""A real S3-compatible server on loopback for the tests: moto's server, as a process."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from tests.integration.services import free_port, missing, port_open


@contextmanager
def s3_server() -> Iterator[dict[str, str]]:
    """Settings (EINVOICE_BLOB_STORE, EINVOICE_S3_*) of a fresh bucket on a moto server."""
    try:
        import boto3
        import moto  # noqa: F401
    except ImportError as exc:
        missing("S3 server (moto[server], boto3)", str(exc))
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not port_open("127.0.0.1", port):
            if process.poll() is not None or time.monotonic() > deadline:
                missing("S3 server (moto)", f"did not start on port {port}")
            time.sleep(0.2)
        endpoint = f"http://127.0.0.1:{port}"
        bucket = f"einvoice-{uuid.uuid4().hex[:8]}"
        keys = {"EINVOICE_S3_ACCESS_KEY": "testkey", "EINVOICE_S3_SECRET_KEY": "testsecret"}
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=keys["EINVOICE_S3_ACCESS_KEY"],
            aws_secret_access_key=keys["EINVOICE_S3_SECRET_KEY"],
        ).create_bucket(Bucket=bucket)
        yield {
            "EINVOICE_BLOB_STORE": f"s3://{bucket}/originale",
            "EINVOICE_S3_ENDPOINT": endpoint,
            **keys,
        }
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
