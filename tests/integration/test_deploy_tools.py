"""Deploy helpers on moto: SECRET_KEY from SSM, static files published with hashed names,
and a Zappa stage wired to the stack's outputs."""
import copy
import json

import boto3
import pytest

from portal import create_app
from portal.adapters.aws.infra import deploy_template
from portal.adapters.aws.secrets import read_secret_parameter
from portal.config import ConfigError, load
from portal.paths import ROOT
from tools.deploy_config import stack_outputs, wire
from tools.publish_static import publish, static_files

SECRET = "ssm-stored-secret-key-0123456789abcdef-xyz"


@pytest.fixture
def clients(moto_endpoint):
    def client(service):
        return boto3.client(service, endpoint_url=moto_endpoint, region_name="us-east-1")
    return client


def test_secret_key_is_read_from_ssm_at_start_up(moto_endpoint, clients):
    clients("ssm").put_parameter(Name="/attune/test/secret-key", Value=SECRET, Type="SecureString",
                                 Overwrite=True)
    env = {"SECRET_KEY_PARAMETER": "/attune/test/secret-key", "AWS_ENDPOINT_URL": moto_endpoint}
    assert load(env, secret_loader=read_secret_parameter).secret_key == SECRET
    with pytest.raises(ConfigError, match="SECRET_KEY_PARAMETER /attune/none could not be read"):
        load({"SECRET_KEY_PARAMETER": "/attune/none", "AWS_ENDPOINT_URL": moto_endpoint},
             secret_loader=read_secret_parameter)


def test_static_files_are_published_with_hashed_names_the_app_links(moto_endpoint, clients):
    outputs = deploy_template(clients("cloudformation"), "attune-static", "attune-static",
                              "reminders@example.org")
    bucket = outputs["StaticBucketName"]
    keys = publish(clients("s3"), bucket)
    assert len(keys) == len(static_files())
    css_key = next(k for k in keys if k.startswith("css/attune.") and k.endswith(".css"))
    stored = clients("s3").get_object(Bucket=bucket, Key=css_key)
    assert stored["ContentType"] == "text/css" and "immutable" in stored["CacheControl"]
    assert stored["Body"].read() == (ROOT / "static" / "css" / "attune.css").read_bytes()
    app = create_app(load({"PORTAL_ENV": "test", "STATIC_URL": "https://cdn.example.org"}))
    page = app.test_client().get("/nowhere").get_data(as_text=True)
    assert f'href="https://cdn.example.org/{css_key}"' in page
    local = create_app(load({"PORTAL_ENV": "test"})).test_client()
    assert 'href="/static/css/attune.css"' in local.get("/nowhere").get_data(as_text=True)
    assert local.get("/static/css/attune.css").status_code == 200


def test_zappa_stage_is_wired_from_stack_outputs(moto_endpoint, clients):
    deploy_template(clients("cloudformation"), "attune-wire", "attune-wire", "clinic@example.org")
    outputs = stack_outputs(clients("cloudformation"), "attune-wire")
    settings = json.loads((ROOT / "zappa_settings.json").read_text())
    wired = wire(copy.deepcopy(settings), "prod", outputs, "https://portal.example.org/")
    prod = wired["prod"]
    assert prod["role_arn"] == outputs["LambdaRoleArn"] and prod["manage_roles"] is False
    env = prod["environment_variables"]
    assert env["TABLE_NAME"] == "attune-wire" and env["BASE_URL"] == "https://portal.example.org"
    assert env["SECRET_KEY_PARAMETER"] == "/attune/prod/secret-key" and "SECRET_KEY" not in env
    for event in prod["events"]:
        if event["function"] == "functions.sms_inbound.handler":
            assert event["event_source"]["arn"] == outputs["InboundSmsTopicArn"]
        if event["function"] == "functions.sms_events.handler":
            assert event["event_source"]["arn"] == outputs["SmsEventsTopicArn"]
    assert env["SES_EVENTS_TOPIC_ARN"] == outputs["SesEventsTopicArn"]
    assert env["SMS_EVENTS_TOPIC_ARN"] == outputs["SmsEventsTopicArn"]
