"""The table layer's own contract: MemoryTable answers as DynamoTable on moto does, for the
conditions, failed transactions and the sparse indexes the store is built on. The tables
stay small (moto copies the table for each transaction item)."""
import pytest

from portal.adapters.tables import (
    AnyOf,
    Below,
    Check,
    ConditionFailed,
    Delete,
    Equals,
    Exists,
    NotExists,
    Put,
)
from portal.adapters.tables.memory import MemoryTable


@pytest.fixture(params=["memory", "dynamodb"])
def table(request):
    if request.param == "memory":
        return MemoryTable()
    from tests.stack import deployed_container

    return deployed_container(request.getfixturevalue("moto_endpoint")).store.table


def _item(pk="P#1", sk="A", **attrs):
    return {"pk": pk, "sk": sk, **attrs}


def _refused(write) -> list[int]:
    with pytest.raises(ConditionFailed) as failure:
        write()
    return failure.value.failed


def test_conditions_on_single_writes(table):
    table.put(_item(version=1, lease="2026-03-02T14:00"), NotExists())
    assert _refused(lambda: table.put(_item(version=9), NotExists())) == [0]
    assert _refused(lambda: table.put(_item("P#2"), Exists())) == [0]
    assert _refused(lambda: table.put(_item(version=2), Equals("version", 0))) == [0]
    table.put(_item(version=2, lease="2026-03-02T14:00"), Equals("version", 1))
    assert _refused(lambda: table.put(_item(version=3), Below("lease", "2026-03-02T13:00"))) == [0]
    assert _refused(lambda: table.put(_item(version=3), Below("missing", "z"))) == [0]  # absent: not below
    table.put(_item(version=3), AnyOf((NotExists(), Below("lease", "2026-03-02T15:00"))))
    assert table.get("P#1", "A", consistent=True) == _item(version=3)
    assert table.get("P#2", "A") is None
    assert _refused(lambda: table.delete("P#1", "A", Equals("version", 2))) == [0]
    table.delete("P#1", "A", Equals("version", 3))
    assert table.get("P#1", "A", consistent=True) is None


def test_update_sets_and_removes_named_attributes_only(table):
    assert _refused(lambda: table.update("P#1", "A", {"name": "x"})) == [0]  # Exists() by default
    table.put(_item(name="Alex", note="keep", gsi1pk="T#1", gsi1sk="C#a"))
    table.update("P#1", "A", {"name": "Sam", "gsi1pk": None, "gsi1sk": None})
    assert table.get("P#1", "A", consistent=True) == _item(name="Sam", note="keep")
    assert table.query("T#1", index="by_therapist") == []  # left the index with its keys
    table.update("P#2", "A", {"name": "new"}, NotExists())
    assert table.get("P#2", "A", consistent=True) == _item("P#2", name="new")


def test_counters_add_atomically_and_keep_their_first_extras(table):
    assert table.add("T#x", "W#1", "failures", 1, {"expires_at": 100, "type": "throttle"}) == 1
    assert table.add("T#x", "W#1", "failures", 2, {"expires_at": 999}) == 3
    assert table.get("T#x", "W#1", consistent=True) == {"pk": "T#x", "sk": "W#1", "failures": 3,
                                                        "expires_at": 100, "type": "throttle"}


def test_a_failed_transaction_leaves_nothing_and_names_the_failed_operations(table):
    table.put(_item("P#1", version=1))
    table.put(_item("P#2", version=1))
    ops = [Put(_item("P#3", new=True), NotExists()), Delete("P#2", "A"),
           Put(_item("P#1", version=2), Equals("version", 0)), Check("P#4", "A", Exists())]
    assert _refused(lambda: table.transact(ops)) == [2, 3]
    assert table.get("P#3", "A", consistent=True) is None  # not written
    assert table.get("P#2", "A", consistent=True) == _item("P#2", version=1)  # not deleted
    assert table.get("P#1", "A", consistent=True) == _item("P#1", version=1)
    table.transact([Put(_item("P#3", new=True), NotExists()), Delete("P#2", "A"),
                    Put(_item("P#1", version=2), Equals("version", 1)), Check("P#1", "B", NotExists())])
    found = table.batch_get([("P#1", "A"), ("P#2", "A"), ("P#3", "A")], consistent=True)
    assert found == {("P#1", "A"): _item("P#1", version=2), ("P#3", "A"): _item("P#3", new=True)}


def test_a_transaction_may_touch_each_item_once(table):
    with pytest.raises(Exception) as refused:
        table.transact([Put(_item(n=1)), Put(_item(n=2))])
    assert not isinstance(refused.value, ConditionFailed)
    assert table.get("P#1", "A", consistent=True) is None


def test_sparse_index_queries_hold_only_items_with_the_index_keys(table):
    table.put_many([
        _item("A#1", gsi1pk="T#1", gsi1sk="A#2026-03-03#1"),
        _item("A#2", gsi1pk="T#1", gsi1sk="A#2026-03-02#2"),
        _item("A#3", gsi1pk="T#1", gsi1sk="C#rivera"),
        _item("A#4", gsi1pk="T#2", gsi1sk="A#2026-03-02#4"),
        _item("A#5", gsi1pk="T#1", gsi1sk=None),  # None: absent, so not in the index
        _item("M#1", due_bucket="DUE#2026-03-02T14", due_sk="2026-03-02T14:10#m1"),
        _item("M#2", "B"),  # no due keys: never read by the due index
    ])
    ids = lambda items: [i["pk"] for i in items]  # noqa: E731
    assert ids(table.query("T#1", index="by_therapist")) == ["A#2", "A#1", "A#3"]
    assert ids(table.query("T#1", index="by_therapist", begins="A#")) == ["A#2", "A#1"]
    assert ids(table.query("T#1", index="by_therapist", between=("A#2026-03-03", "A#2026-03-03~"))) == ["A#1"]
    assert ids(table.query("T#1", index="by_therapist", reverse=True, limit=2)) == ["A#3", "A#1"]
    assert ids(table.query("DUE#2026-03-02T14", index="due")) == ["M#1"]
    assert table.query("DUE#2026-03-02T15", index="due") == []
    assert "gsi1sk" not in table.get("A#5", "A", consistent=True)


def test_queries_of_a_partition_by_sort_key(table):
    table.put_many([_item("P#1", sk) for sk in ("AUDIT#2", "AUDIT#1", "MSG#a", "PROFILE")])
    sks = lambda items: [i["sk"] for i in items]  # noqa: E731
    assert sks(table.query("P#1", consistent=True)) == ["AUDIT#1", "AUDIT#2", "MSG#a", "PROFILE"]
    assert sks(table.query("P#1", begins="AUDIT#", reverse=True, consistent=True)) == ["AUDIT#2", "AUDIT#1"]
    assert sks(table.query("P#1", between=("AUDIT#2", "MSG#z"), consistent=True)) == ["AUDIT#2", "MSG#a"]
    assert table.batch_get([("P#1", "PROFILE"), ("P#9", "X")]) == {("P#1", "PROFILE"): _item("P#1", "PROFILE")}
