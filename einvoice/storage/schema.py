"""The complete table metadata (all table modules imported), for Alembic and checks."""

import einvoice.storage.ops_tables
import einvoice.storage.portfolio_tables  # noqa: F401  (registers its tables)
from einvoice.storage import (
    accounts,  # noqa: F401  (registers its tables)
    creditor_tables,  # noqa: F401  (registers its tables)
    entry_tables,  # noqa: F401  (registers its tables)
    kontierung_tables,  # noqa: F401  (registers its tables)
    payment_tables,  # noqa: F401  (registers its tables)
)
from einvoice.storage.tables import Base

metadata = Base.metadata
