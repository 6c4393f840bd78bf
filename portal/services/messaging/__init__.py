"""Messages: the shared sending engine (due.py) and each lane, composing, delivery status, inbound replies."""
