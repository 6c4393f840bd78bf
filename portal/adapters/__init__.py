"""Adapters: the only code that touches AWS, and the in-memory fakes beside it."""
