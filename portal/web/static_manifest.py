"""Content-hashed static names: published by `make publish-static`, linked by `asset()`."""
import hashlib
from functools import lru_cache

from portal.paths import STATIC


@lru_cache(maxsize=64)
def hashed_name(path: str) -> str:
    data = (STATIC / path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:12]
    stem, dot, ext = path.rpartition(".")
    return f"{stem}.{digest}.{ext}" if dot else f"{path}.{digest}"
