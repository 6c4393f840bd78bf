"""Erasure and the access log on DynamoDB (moto): no erased value left in any attribute of any
item (found with a Scan, which only this test makes), and the figures unchanged."""
from portal.services.privacy import access_log
from portal.services.privacy.erasure import erase_client
from portal.services.workspace import figures as stats
from tests.privacy_support import SENTINELS, erasable_client, items_holding
from tests.seed_support import seeded_demo


def _every_item(container):
    from boto3.dynamodb.types import TypeDeserializer

    client, read = container.client("dynamodb"), TypeDeserializer()
    items, params = [], {"TableName": container.config.table_name}
    while True:
        page = client.scan(**params)
        items += [{k: read.deserialize(v) for k, v in i.items()} for i in page["Items"]]
        if "LastEvaluatedKey" not in page:
            return items
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _figures(deps):
    f = stats.attendance_figures(deps, deps.store.get_therapist("mchen1"))
    return f.practice, f.by_weekday, f.by_hour, f.barriers


def test_erasure_on_dynamodb_leaves_no_erased_value_and_the_same_figures(aws):
    seeded_demo(aws.deps, "bench-password-123", history=False)
    client, ahead = erasable_client(aws.deps)
    assert items_holding(_every_item(aws), SENTINELS.values())
    before = _figures(aws.deps)
    erased = erase_client(aws.deps, client.id, "mchen1")
    assert erased.cancelled == len(ahead)
    assert items_holding(_every_item(aws), SENTINELS.values()) == []
    assert _figures(aws.deps) == before
    assert aws.store.tombstone(client.id).erased_by == "mchen1"


def test_the_access_log_pages_on_dynamodb(aws, clock):
    from datetime import timedelta

    seeded_demo(aws.deps, "bench-password-123", history=False)
    for _ in range(access_log.PAGE_SIZE + 3):
        access_log.record(aws.deps, "sokaf1", "calex01", "client", "198.51.100.4")
        clock.advance(timedelta(seconds=1))
    admin, client = aws.store.get_therapist("mchen1"), aws.store.get_client("calex01")
    first = access_log.page(aws.deps, admin, client)
    second = access_log.page(aws.deps, admin, client, first.older)
    assert (len(first.events), len(second.events), second.older) == (access_log.PAGE_SIZE, 3, "")
    assert first.events[-1].at > second.events[0].at
