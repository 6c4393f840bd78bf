"""The suite's own moto stack (tests/stack.py, tests/seed_support.py): a test's fresh table is
the deployed template's table under another name, and a copied demo practice is the seed's."""
from collections import Counter

from tests.seed_support import seeded_demo
from tests.stack import deployed_container

# What differs between two tables made from one definition: their names, ids and moments.
OWN = {"TableName", "TableArn", "TableId", "CreationDateTime", "TableSizeBytes", "ItemCount"}


def _own(description):
    return {k: v for k, v in description.items() if k not in OWN}


def test_a_fresh_table_is_described_exactly_as_the_deployed_template_table(deployed_template, aws):
    # Compared with the description taken at deployment: a test's mock_aws() (test_template.py)
    # resets moto's state in this process, the template's own table with it.
    dynamodb = aws.client("dynamodb")
    fresh = aws.config.table_name
    assert fresh != deployed_template.table_name
    described = dynamodb.describe_table(TableName=fresh)["Table"]
    assert _own(described) == _own(deployed_template.description)
    assert dynamodb.describe_time_to_live(TableName=fresh)["TimeToLiveDescription"] == deployed_template.ttl
    assert {i["IndexName"] for i in described["GlobalSecondaryIndexes"]} \
        == {"by_therapist", "by_client", "due"}  # the template's indexes, not an empty table


def _items(container):
    answer = container.client("dynamodb").scan(TableName=container.config.table_name, ConsistentRead=True)
    assert "LastEvaluatedKey" not in answer  # the demo is small: one page holds it
    return sorted(answer["Items"], key=lambda i: (i["pk"]["S"], i["sk"]["S"]))


def test_each_test_gets_its_own_copy_of_the_demo_practice_on_dynamodb(moto_endpoint, clock):
    first, second = (deployed_container(moto_endpoint, clock=clock) for _ in range(2))
    summaries = [seeded_demo(c.deps, "demo-password-123", history=False) for c in (first, second)]
    assert summaries[0] == summaries[1] and summaries[0]["seeded"]
    assert _items(second) == _items(first) and len(_items(first)) > 100
    # A write to one copy stays in it.
    first.store.set_password_hash("mchen1", "changed")
    assert second.store.get_therapist("mchen1").password_hash.startswith("scrypt:")
    assert Counter(i["pk"]["S"].split("#")[0] for i in _items(second))["APPT"] > 10
