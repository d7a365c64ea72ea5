"""Entry module for ``dramatiq einvoice.workers.entry`` (used by ``einvoice worker``).

Importing it configures the broker from the environment and declares the actors:
this is the worker process's composition step, so it is the one place allowed to.
A starting worker first removes what writers killed mid-write on this host left in
the blob folder (their temporary files), so a restart mends a SIGKILL on its own.
"""

import logging
import os

from einvoice import bootstrap
from einvoice.logs import configure_from_env
from einvoice.presentation.plurals import count_de
from einvoice.storage.blobs import LocalBlobStore
from einvoice.workers.actors import register
from einvoice.workers.metrics import MULTIPROC_ENV

# this worker process logs as configured (text or JSON), whatever dramatiq set up
configure_from_env("INFO")
_container = bootstrap.container()
_settings = _container.settings
if isinstance(_container.pipeline.blobs, LocalBlobStore):
    try:
        _swept = _container.pipeline.blobs.sweep_interrupted_writes()
    except OSError as exc:  # the folder unreadable now: the worker starts, fsck reports later
        logging.getLogger(__name__).error("Blob-Ordner nicht aufgeräumt: %s", exc)
    else:
        if _swept:
            logging.getLogger(__name__).warning(
                "%s abgebrochener Schreibvorgänge entfernt", count_de(_swept, "temporäre Datei")
            )
# metrics only under `einvoice worker`, which gives its processes a multiprocess folder
broker = bootstrap.make_broker(
    _settings.broker_url, bool(_settings.metrics_port and os.environ.get(MULTIPROC_ENV))
)
register(broker)
