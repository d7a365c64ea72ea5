"""Entry module for ``dramatiq einvoice.workers.entry`` (used by ``einvoice worker``).

Importing it configures the broker from the environment and declares the actors:
this is the worker process's composition step, so it is the one place allowed to.
"""

from einvoice import bootstrap
from einvoice.workers.actors import register

_settings = bootstrap.container().settings
broker = bootstrap.make_broker(_settings.broker_url, _settings.metrics_port)
register(broker)
