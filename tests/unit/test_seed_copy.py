"""The demo practice seeded once and copied (tests/seed_support.py): a copy holds what a real seed
writes, signs in the same, and each test's copy is its own."""
from collections import Counter

from devstack.seed import seed_demo
from portal.adapters.store import Store
from portal.adapters.tables.memory import MemoryTable
from portal.clock import FixedClock
from portal.services.accounts import sign_in
from tests.conftest import T0
from tests.seed_support import seeded_demo

PASSWORD = "copy-password-123"


def _deps(deps, at=T0):
    from dataclasses import replace

    clock = FixedClock(at)
    return replace(deps, store=Store(MemoryTable(), clock=clock), clock=clock)


def _shape(table):
    """Each item's kind and attributes, leaving out its random parts (salts, audit ids, tokens)."""
    return Counter((pk.split("#")[0], sk.split("#")[0], tuple(sorted(item)))
                   for (pk, sk), item in table._items.items())


def test_a_copied_demo_is_what_a_real_seed_writes_and_each_copy_is_its_own(deps):
    first, second, real = _deps(deps), _deps(deps), _deps(deps)
    assert seeded_demo(first, PASSWORD) == seeded_demo(second, PASSWORD)
    assert second.store.table._items == first.store.table._items
    assert seed_demo(real, PASSWORD)["appointments"] == seeded_demo(_deps(deps), PASSWORD)["appointments"]
    assert _shape(second.store.table) == _shape(real.store.table)
    assert sign_in.sign_in(second, "maya@riverbend.example", PASSWORD, "10.0.0.1").id == "mchen1"
    second.store.set_password_hash("mchen1", "changed")
    assert first.store.get_therapist("mchen1").password_hash.startswith("scrypt:")


def test_another_moment_or_a_table_with_data_gets_a_real_seed(deps):
    later = _deps(deps, T0.replace(hour=20))
    seeded_demo(_deps(deps), PASSWORD)
    seeded_demo(later, PASSWORD)
    real = _deps(deps, T0.replace(hour=20))
    seed_demo(real, PASSWORD)
    assert _shape(later.store.table) == _shape(real.store.table)
    busy = _deps(deps)
    seed_demo(busy, PASSWORD)
    assert seeded_demo(busy, PASSWORD)["seeded"] is False  # seed_demo's own "already there"
