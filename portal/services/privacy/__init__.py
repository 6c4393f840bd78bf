"""Privacy: the access log, a client's export, erasure."""
