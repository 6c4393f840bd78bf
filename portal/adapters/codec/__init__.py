"""Domain objects to table items and back. ``keys`` holds every key and the data map; the
item mappings sit beside it, one module per topic."""
