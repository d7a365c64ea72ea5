"""Blob store in an S3-compatible object store (MinIO, Ceph, a cloud bucket).

Objects live under ``PREFIX/ab/cd/<sha256>``; the bytes are verified on every
read. Needs the optional package ``boto3`` (``pip install 'einvoice[s3]'``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from einvoice.errors import ConfigurationError, TransientError
from einvoice.storage.blobs import BlobCorrupted, FolderlessFsck, check_digest, sha256_of


@dataclass(frozen=True, slots=True)
class S3Location:
    bucket: str
    prefix: str
    endpoint_url: str | None
    region: str | None
    access_key: str | None
    secret_key: str | None


def parse_s3_url(url: str, env: Any) -> S3Location:
    """``s3://bucket/prefix`` plus EINVOICE_S3_ENDPOINT / _REGION / _ACCESS_KEY / _SECRET_KEY."""
    rest = url.removeprefix("s3://")
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        raise ConfigurationError(f"EINVOICE_BLOB_STORE {url!r}: erwartet s3://bucket/präfix")
    access, secret = env.get("EINVOICE_S3_ACCESS_KEY"), env.get("EINVOICE_S3_SECRET_KEY")
    if bool(access) != bool(secret):
        raise ConfigurationError(
            "EINVOICE_S3_ACCESS_KEY und EINVOICE_S3_SECRET_KEY nur zusammen setzen"
        )
    return S3Location(
        bucket=bucket,
        prefix=prefix.strip("/"),
        endpoint_url=env.get("EINVOICE_S3_ENDPOINT") or None,
        region=env.get("EINVOICE_S3_REGION") or None,
        access_key=access or None,
        secret_key=secret or None,
    )


class S3BlobStore(FolderlessFsck):
    def __init__(self, location: S3Location) -> None:
        try:
            import boto3
            from botocore.config import Config
        except ImportError as exc:
            raise ConfigurationError(
                "Für EINVOICE_BLOB_STORE=s3://... fehlt das Paket boto3; installieren mit: "
                "pip install 'einvoice[s3]'"
            ) from exc
        self.location = location
        self.client = boto3.client(
            "s3",
            endpoint_url=location.endpoint_url,
            region_name=location.region or "us-east-1",
            aws_access_key_id=location.access_key,
            aws_secret_access_key=location.secret_key,
            config=Config(retries={"max_attempts": 3, "mode": "standard"}),
        )

    def key(self, sha256: str) -> str:
        check_digest(sha256)
        name = f"{sha256[:2]}/{sha256[2:4]}/{sha256}"
        return f"{self.location.prefix}/{name}" if self.location.prefix else name

    def describe(self) -> str:
        where = self.location.endpoint_url or "AWS"
        return f"S3 {where} Bucket {self.location.bucket}/{self.location.prefix}"

    def _errors(self) -> tuple[type[BaseException], ...]:
        from botocore.exceptions import BotoCoreError, ClientError

        return (BotoCoreError, ClientError)

    def exists(self, sha256: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.location.bucket, Key=self.key(sha256))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise TransientError(f"S3 HEAD {sha256}: {exc}") from exc
        except self._errors() as exc:
            raise TransientError(f"S3 HEAD {sha256}: {exc}") from exc
        return True

    def put(self, data: bytes) -> str:
        digest = sha256_of(data)
        if self.exists(digest):
            return digest
        try:
            self.client.put_object(
                Bucket=self.location.bucket,
                Key=self.key(digest),
                Body=data,
                Metadata={"sha256": digest},
            )
        except self._errors() as exc:
            raise TransientError(f"cannot store blob {digest} in S3: {exc}") from exc
        return digest

    def get(self, sha256: str) -> bytes:
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_object(Bucket=self.location.bucket, Key=self.key(sha256))
            data: bytes = answer["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise BlobCorrupted(f"blob {sha256} is missing from S3") from exc
            raise TransientError(f"cannot read blob {sha256} from S3: {exc}") from exc
        except self._errors() as exc:
            raise TransientError(f"cannot read blob {sha256} from S3: {exc}") from exc
        if sha256_of(data) != sha256:
            raise BlobCorrupted(f"blob {sha256} does not match its hash")
        return data

    def digests(self) -> Iterator[str]:
        prefix = f"{self.location.prefix}/" if self.location.prefix else ""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.location.bucket, Prefix=prefix
        )
        for page in pages:
            for item in page.get("Contents", []):
                name = item["Key"].rsplit("/", 1)[-1]
                if len(name) == 64:
                    yield name

    def delete(self, sha256: str) -> bool:
        if not self.exists(sha256):
            return False
        try:
            self.client.delete_object(Bucket=self.location.bucket, Key=self.key(sha256))
        except self._errors() as exc:
            raise TransientError(f"cannot delete blob {sha256} from S3: {exc}") from exc
        return True
