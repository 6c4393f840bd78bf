"""Helpers for tests on moto: infra/template.yaml deployed once per emulator, and a fresh table
for each test made from the deployed table's own description.

Deploying the whole stack took seconds per test; creating one table takes milliseconds. The
template stays the one definition of the table: the fresh tables copy what CloudFormation made
(keys, indexes, billing, encryption, TTL), and tests/integration/test_test_stack.py checks that
each is described exactly as the deployed one."""
import threading
import uuid

from tests.conftest import BASE_URL, TEST_SECRET

TEMPLATE_STACK = "attune-tests"  # the one stack each emulator gets; tests never write its table


def make_config(endpoint, table_name, **extra):
    from portal.config import load

    env = {"PORTAL_ENV": "test", "AWS_ENDPOINT_URL": endpoint, "TABLE_NAME": table_name,
           "SECRET_KEY": TEST_SECRET, "BASE_URL": BASE_URL, "AWS_REGION": "us-east-1"}
    env.update(extra)
    return load(env)


def table_definition(description: dict) -> dict:
    """create_table's arguments (all but the name) for a table like the described one."""
    billing = description.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED")
    provisioned = billing == "PROVISIONED"

    def throughput(described):
        return {"ReadCapacityUnits": described["ReadCapacityUnits"],
                "WriteCapacityUnits": described["WriteCapacityUnits"]}

    def index(described, with_throughput):
        made = {name: described[name] for name in ("IndexName", "KeySchema", "Projection")}
        if with_throughput and provisioned:
            made["ProvisionedThroughput"] = throughput(described["ProvisionedThroughput"])
        return made

    args = {"AttributeDefinitions": description["AttributeDefinitions"],
            "KeySchema": description["KeySchema"], "BillingMode": billing,
            "DeletionProtectionEnabled": description.get("DeletionProtectionEnabled", False)}
    if provisioned:
        args["ProvisionedThroughput"] = throughput(description["ProvisionedThroughput"])
    if description.get("GlobalSecondaryIndexes"):
        args["GlobalSecondaryIndexes"] = [index(i, True) for i in description["GlobalSecondaryIndexes"]]
    if description.get("LocalSecondaryIndexes"):
        args["LocalSecondaryIndexes"] = [index(i, False) for i in description["LocalSecondaryIndexes"]]
    if description.get("StreamSpecification"):
        args["StreamSpecification"] = description["StreamSpecification"]
    sse = description.get("SSEDescription") or {}
    if sse.get("Status") in ("ENABLED", "ENABLING"):
        args["SSESpecification"] = {"Enabled": True, "SSEType": sse.get("SSEType", "KMS"),
                                    **({"KMSMasterKeyId": sse["KMSMasterKeyArn"]}
                                       if sse.get("KMSMasterKeyArn") else {})}
    return args


class TemplateStack:
    """The template deployed once on one emulator; ``new_table`` makes a table just like its table."""

    def __init__(self, endpoint):
        from portal.adapters.aws.infra import deploy_template
        from portal.wiring import Container

        container = Container(make_config(endpoint, TEMPLATE_STACK))
        outputs = deploy_template(container.client("cloudformation"), TEMPLATE_STACK, TEMPLATE_STACK,
                                  container.config.sender_email)
        self.dynamodb = container.client("dynamodb")
        self.table_name = outputs["TableName"]
        self.description = self.dynamodb.describe_table(TableName=self.table_name)["Table"]
        self.definition = table_definition(self.description)
        self.ttl = self.dynamodb.describe_time_to_live(TableName=self.table_name)["TimeToLiveDescription"]

    def new_table(self, name: str) -> str:
        self.dynamodb.create_table(TableName=name, **self.definition)
        if self.ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
            self.dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification={
                "AttributeName": self.ttl["AttributeName"], "Enabled": True})
        return name


_stacks: dict[str, TemplateStack] = {}
_stacks_lock = threading.Lock()


def template_stack(endpoint) -> TemplateStack:
    """The emulator's one deployed template (deployed on first use)."""
    with _stacks_lock:
        if endpoint not in _stacks:
            _stacks[endpoint] = TemplateStack(endpoint)
        return _stacks[endpoint]


def deployed_container(endpoint, clock=None, **extra):
    """A container on a fresh, empty table made from the deployed infra/template.yaml.
    With PORTAL_ENV=dev it is the dev stack's, which logs each message for the outbox."""
    from devstack import DevContainer
    from portal.wiring import Container

    name = template_stack(endpoint).new_table(f"attune-t{uuid.uuid4().hex[:10]}")
    config = make_config(endpoint, name, **extra)
    container = (DevContainer if config.is_dev else Container)(config, clock=clock)
    container.client("ses").verify_email_identity(EmailAddress=container.config.sender_email)
    return container
