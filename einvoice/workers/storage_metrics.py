"""Prometheus gauges for the disks and the backups of this machine: free space of the data
folder and of the backup folder, and when the newest complete backup finished.

Served with the database state (PORT+1). The alert rules EinvoiceBackupTooOld and
EinvoiceDiskFilling in ``deploy/prometheus/alerts.yml`` use exactly these names.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector


class StorageCollector(Collector):
    def __init__(self, settings: Any) -> None:
        self.folders: dict[str, Path] = {"data": settings.data_dir}
        self.backup_dir: Path | None = settings.backup_dir
        if self.backup_dir is not None:
            self.folders["backups"] = self.backup_dir

    def collect(self) -> Iterator[GaugeMetricFamily]:
        free = GaugeMetricFamily(
            "einvoice_disk_free_bytes", "Free space where the folder lies", labels=["folder"]
        )
        ratio = GaugeMetricFamily(
            "einvoice_disk_free_ratio",
            "Free share (0..1) of the file system of the folder",
            labels=["folder"],
        )
        for name, folder in self.folders.items():
            try:
                usage = shutil.disk_usage(folder)
            except OSError:  # not there (yet): nothing to say, the alert on age covers backups
                continue
            free.add_metric([name], float(usage.free))
            ratio.add_metric([name], usage.free / usage.total if usage.total else 0.0)
        yield free
        yield ratio
        if self.backup_dir is None:
            return
        from einvoice.ops.backup import latest

        newest = latest(self.backup_dir)
        last = GaugeMetricFamily(
            "einvoice_backup_last_success_timestamp_seconds",
            "When the newest complete backup in EINVOICE_BACKUP_DIR finished (Unix time; 0: none)",
        )
        last.add_metric([], newest[0].timestamp() if newest else 0.0)
        yield last
