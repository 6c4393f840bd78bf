"""Lambda entry points: thin handlers that build adapters from the environment and call a service."""
