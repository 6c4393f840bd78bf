"""The store: the application's reads and writes, written once over either table.

Role mixins (one module each) on one base (``base.StoreBase``: the table and the clock),
composed in ``core.Store``."""
from portal.adapters.store.core import Store

__all__ = ["Store"]
