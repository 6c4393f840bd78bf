"""Checks on the CloudFormation template in infra/template.yaml.

* cfn-lint must report nothing (errors, warnings and informational rules).
* moto must be able to deploy it. moto's CloudFormation skips resource types
  it does not model (SES configuration sets, SNS topic policies, ...) with a
  UserWarning, and it has no CloudFront at all, so the stack is created with
  EnableCdn=false, just as the local stack does.
* The Lambda role must never be able to Scan the table.
"""

import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import boto3
import pytest
from cfnlint.decode import decode_str
from moto import mock_aws

TEMPLATE = Path(__file__).resolve().parents[2] / "infra" / "template.yaml"
REGION = "us-east-1"
STACK = "attune-test"
TABLE = "attune-dev"

EXPECTED_GSIS = {
    "by_therapist": ("gsi1pk", "gsi1sk"),
    "by_client": ("gsi2pk", "gsi2sk"),
    "due": ("due_bucket", "due_sk"),
}

# Stack resources that moto must actually create (all the others may be skipped).
MUST_NOT_BE_SKIPPED = {
    "AWS::DynamoDB::Table",
    "AWS::IAM::Role",
    "AWS::SNS::Topic",
    "AWS::S3::Bucket",
}


def _template():
    template, matches = decode_str(TEMPLATE.read_text())
    assert not matches, matches
    return template


def _cfn_lint_command():
    # `python -m cfnlint` does not work (cfnlint has no __main__), so use the
    # console script installed next to the interpreter, then fall back to PATH.
    script = Path(sys.executable).parent / "cfn-lint"
    if script.exists():
        return [str(script)]
    found = shutil.which("cfn-lint")
    assert found, "cfn-lint is not installed next to sys.executable or on PATH"
    return [found]


def _aws_env(monkeypatch):
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SECURITY_TOKEN", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)


def _create_stack():
    cfn = boto3.client("cloudformation", region_name=REGION)
    cfn.create_stack(
        StackName=STACK,
        TemplateBody=TEMPLATE.read_text(),
        Parameters=[
            {"ParameterKey": "DeletionProtection", "ParameterValue": "false"},
            {"ParameterKey": "EnableCdn", "ParameterValue": "false"},
        ],
        Capabilities=["CAPABILITY_IAM"],
    )


def _skipped_types(caught):
    """Resource types moto's CloudFormation skipped (it warns, then moves on)."""
    prefix = "Tried to parse "
    return {
        str(w.message)[len(prefix) :].split(" ", 1)[0]
        for w in caught
        if str(w.message).startswith(prefix)
    }


def test_template_is_clean_under_cfn_lint():
    # --include-checks I: informational rules (e.g. I3011) are off by default.
    result = subprocess.run(
        [*_cfn_lint_command(), str(TEMPLATE), "--include-checks", "I"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, output
    assert output == ""


def test_template_deploys_into_moto_with_indexes_ttl_and_pitr(monkeypatch):
    _aws_env(monkeypatch)
    # Outputs are resolved lazily, so skips are also reported by describe_stacks.
    with mock_aws(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _create_stack()
        cfn = boto3.client("cloudformation", region_name=REGION)
        stack = cfn.describe_stacks(StackName=STACK)["Stacks"][0]
        skipped = _skipped_types(caught)
        assert not skipped & MUST_NOT_BE_SKIPPED, skipped

        assert stack["StackStatus"] == "CREATE_COMPLETE"
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
        assert outputs["TableName"] == TABLE

        ddb = boto3.client("dynamodb", region_name=REGION)
        table = ddb.describe_table(TableName=TABLE)["Table"]
        assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
        assert table["KeySchema"] == [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ]
        assert table["DeletionProtectionEnabled"] is False
        gsis = {g["IndexName"]: g for g in table["GlobalSecondaryIndexes"]}
        assert set(gsis) == set(EXPECTED_GSIS)
        for name, (hash_key, range_key) in EXPECTED_GSIS.items():
            assert gsis[name]["KeySchema"] == [
                {"AttributeName": hash_key, "KeyType": "HASH"},
                {"AttributeName": range_key, "KeyType": "RANGE"},
            ], name
            assert gsis[name]["Projection"]["ProjectionType"] == "ALL", name

    # moto (<= 5.2.5) ignores TimeToLiveSpecification and
    # PointInTimeRecoverySpecification when creating a table from a stack
    # (see the strict xfail below), so check what real CloudFormation will
    # apply from the template itself.
    props = _template()["Resources"]["AppTable"]["Properties"]
    assert props["TimeToLiveSpecification"] == {
        "AttributeName": "expires_at",
        "Enabled": True,
    }
    assert props["PointInTimeRecoverySpecification"] == {
        "PointInTimeRecoveryEnabled": True
    }
    condition, customer_key, owned = props["SSESpecification"]["Fn::If"]
    assert owned == {"SSEEnabled": False}  # no key parameter: the AWS-owned key
    assert customer_key["KMSMasterKeyId"] == {"Ref": "TableKmsKeyArn"}


@pytest.mark.xfail(
    strict=True,
    reason="moto's CloudFormation Table model drops TimeToLiveSpecification and "
    "PointInTimeRecoverySpecification; remove this mark once moto applies them",
)
def test_moto_applies_ttl_and_pitr_from_template(monkeypatch):
    _aws_env(monkeypatch)
    with mock_aws(), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        _create_stack()
        ddb = boto3.client("dynamodb", region_name=REGION)
        ttl = ddb.describe_time_to_live(TableName=TABLE)["TimeToLiveDescription"]
        assert ttl["TimeToLiveStatus"] == "ENABLED"
        assert ttl["AttributeName"] == "expires_at"
        backups = ddb.describe_continuous_backups(TableName=TABLE)
        pitr = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
        assert pitr["PointInTimeRecoveryStatus"] == "ENABLED"


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _iam_statements(template):
    for logical_id, resource in template["Resources"].items():
        props = resource.get("Properties", {})
        rtype = resource["Type"]
        documents = []
        if rtype in ("AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"):
            documents = [p["PolicyDocument"] for p in props.get("Policies", [])]
        elif rtype in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            documents = [props["PolicyDocument"]]
        for document in documents:
            for statement in _as_list(document["Statement"]):
                yield logical_id, statement


def test_lambda_policy_has_no_scan():
    template = _template()
    statements = list(_iam_statements(template))
    assert any(lid == "LambdaRole" for lid, _ in statements)

    dynamodb_statements = []
    for logical_id, statement in statements:
        assert "NotAction" not in statement, (logical_id, statement)
        actions = [a.lower() for a in _as_list(statement["Action"])]
        assert "dynamodb:scan" not in actions, (logical_id, statement)
        assert "dynamodb:*" not in actions, (logical_id, statement)
        assert "*" not in actions, (logical_id, statement)
        if any(a.startswith("dynamodb:") for a in actions):
            dynamodb_statements.append(statement)

    assert dynamodb_statements, "no DynamoDB statement found"
    for statement in dynamodb_statements:
        if statement["Effect"] == "Deny":  # the access log's guard (next test)
            continue
        resources = _as_list(statement["Resource"])
        assert resources == [
            {"Fn::GetAtt": ["AppTable", "Arn"]},
            {"Fn::Sub": "${AppTable.Arn}/index/*"},
        ], resources


def test_the_access_log_is_append_only_for_the_lambda_role():
    """Update, delete and batch writes (which can delete) are denied on every key the codec
    gives the access log; PutItem (append) and Query stay allowed."""
    import fnmatch

    from portal.adapters.codec import keys

    denied = [s for lid, s in _iam_statements(_template())
              if lid == "LambdaRole" and s["Effect"] == "Deny"]
    assert len(denied) == 1
    statement = denied[0]
    actions = {a.lower() for a in _as_list(statement["Action"])}
    assert actions == {"dynamodb:updateitem", "dynamodb:deleteitem", "dynamodb:batchwriteitem"}
    patterns = statement["Condition"]["ForAnyValue:StringLike"]["dynamodb:LeadingKeys"]
    assert any(fnmatch.fnmatchcase(keys.access_log_partition("c123"), p) for p in patterns)
    for other in (keys.client_partition("c123"), keys.appointment_partition("a1"), "THROTTLE#acct#x"):
        assert not any(fnmatch.fnmatchcase(other, p) for p in patterns)


def test_topics_and_table_can_be_encrypted_with_keys_the_practice_controls():
    resources = _template()["Resources"]
    for topic in ("SesEventsTopic", "InboundSmsTopic"):
        assert resources[topic]["Properties"]["KmsMasterKeyId"] == {"Ref": "TopicKey"}
    publishers = resources["TopicKey"]["Properties"]["KeyPolicy"]["Statement"][1]["Principal"]["Service"]
    assert set(publishers) == {"ses.amazonaws.com", "sms-voice.amazonaws.com"}
    assert _template()["Parameters"]["TableKmsKeyArn"]["Default"] == ""


# --- alarms (docs/operations.md says what to do when each fires) ---------------------------
OPERATIONS_DOC = TEMPLATE.parents[1] / "docs" / "operations.md"
ZAPPA_SETTINGS = TEMPLATE.parents[1] / "zappa_settings.json"
ADMIN = "office@riverbend.example"
FUNCTION = {"Fn::If": ["FunctionNamed", {"Ref": "FunctionName"}, {"Fn::Sub": "attune-${Stage}"}]}
# logical id: (namespace, metric, statistic, comparison, threshold, dimensions)
EXPECTED_ALARMS = {
    "FunctionErrorsAlarm": ("AWS/Lambda", "Errors", "Sum", "GreaterThanOrEqualToThreshold", 1,
                            [{"Name": "FunctionName", "Value": FUNCTION}]),
    "FunctionThrottlesAlarm": ("AWS/Lambda", "Throttles", "Sum", "GreaterThanOrEqualToThreshold", 1,
                               [{"Name": "FunctionName", "Value": FUNCTION}]),
    "SesBounceRateAlarm": ("AWS/SES", "Reputation.BounceRate", "Maximum", "GreaterThanThreshold", 0.02,
                           None),
    "SesComplaintRateAlarm": ("AWS/SES", "Reputation.ComplaintRate", "Maximum", "GreaterThanThreshold",
                              0.001, None),
    "SmsSpendAlarm": ("AWS/SNS", "SMSMonthToDateSpentUSD", "Maximum", "GreaterThanOrEqualToThreshold",
                      {"Ref": "SmsSpendAlarmUsd"}, None),
    "SmsVoiceSpendAlarm": ("AWS/SMSVoice", "TextMessageMonthlySpend", "Maximum",
                           "GreaterThanOrEqualToThreshold", {"Ref": "SmsSpendAlarmUsd"}, None),
}


def _alarms(template):
    return {lid: r["Properties"] for lid, r in template["Resources"].items()
            if r["Type"] == "AWS::CloudWatch::Alarm"}


def test_each_alarm_watches_its_metric_at_its_threshold_and_tells_the_admin():
    template = _template()
    alarms = _alarms(template)
    assert set(alarms) == {*EXPECTED_ALARMS, "TableSystemErrorsAlarm"}
    for lid, (namespace, metric, statistic, comparison, threshold, dimensions) in EXPECTED_ALARMS.items():
        props = alarms[lid]
        assert (props["Namespace"], props["MetricName"], props["Statistic"]) == (namespace, metric, statistic), lid
        assert (props["ComparisonOperator"], props["Threshold"]) == (comparison, threshold), lid
        assert props.get("Dimensions") == dimensions, lid
    for lid, props in alarms.items():
        assert props["AlarmActions"] == [{"Ref": "AlarmTopic"}], lid
        assert props["OKActions"] == [{"Ref": "AlarmTopic"}], lid  # and says when it is over
        assert props["TreatMissingData"] == "notBreaching", lid  # a quiet night is not an alarm
    assert template["Parameters"]["SmsSpendAlarmUsd"]["Type"] == "Number"


def test_the_function_alarms_watch_the_lambda_zappa_deploys():
    """Zappa runs the app and every function in one Lambda named <project_name>-<stage>."""
    import json

    settings = json.loads(ZAPPA_SETTINGS.read_text())
    project = settings["dev"]["project_name"]
    scheduled = [e["function"] for e in settings["dev"]["events"] if "expression" in e]
    assert len(scheduled) == 5 and all("function" not in stage for stage in settings.values())
    assert FUNCTION["Fn::If"][2] == {"Fn::Sub": f"{project}-${{Stage}}"}
    assert _template()["Parameters"]["FunctionName"]["Default"] == ""


def test_the_table_alarm_adds_up_system_errors_of_every_operation_the_lambda_may_call():
    template = _template()
    props = _alarms(template)["TableSystemErrorsAlarm"]
    [total] = [m for m in props["Metrics"] if m.get("ReturnData")]
    parts = [m for m in props["Metrics"] if not m.get("ReturnData")]
    assert total["Expression"] == f"SUM([{', '.join(m['Id'] for m in parts)}])"
    operations = set()
    for part in parts:
        metric = part["MetricStat"]["Metric"]
        dims = {d["Name"]: d["Value"] for d in metric["Dimensions"]}
        assert (metric["Namespace"], metric["MetricName"]) == ("AWS/DynamoDB", "SystemErrors")
        assert dims["TableName"] == {"Ref": "AppTable"} and part["MetricStat"]["Stat"] == "Sum"
        operations.add(dims["Operation"])
    allowed = {a.split(":")[1] for lid, s in _iam_statements(template)
               if lid == "LambdaRole" and s["Effect"] == "Allow"
               for a in _as_list(s["Action"]) if a.startswith("dynamodb:")}
    # DescribeTable and ConditionCheckItem are not operations DynamoDB reports on its own.
    assert allowed - {"DescribeTable", "ConditionCheckItem"} <= operations
    assert "TransactWriteItems" in operations  # bookings and moves are transactions
    assert (props["ComparisonOperator"], props["Threshold"]) == ("GreaterThanOrEqualToThreshold", 1)


def test_the_alarm_topic_is_encrypted_with_a_key_cloudwatch_may_use():
    resources = _template()["Resources"]
    topic = resources["AlarmTopic"]["Properties"]
    # Not alias/aws/sns: CloudWatch cannot publish to a topic under the AWS-managed key.
    assert topic["KmsMasterKeyId"] == {"Ref": "TopicKey"}
    assert topic["Subscription"] == [{"Protocol": "email", "Endpoint": {"Ref": "AdminEmail"}}]
    statements = resources["TopicKey"]["Properties"]["KeyPolicy"]["Statement"]
    [alarms] = [s for s in statements if s["Principal"].get("Service") == "cloudwatch.amazonaws.com"]
    assert set(alarms["Action"]) == {"kms:GenerateDataKey*", "kms:Decrypt"}


def _resolve(value, refs):
    """The few intrinsics the alarms use, resolved as CloudFormation would (FunctionName empty)."""
    if isinstance(value, list):
        return [_resolve(v, refs) for v in value]
    if not isinstance(value, dict):
        return value
    if "Ref" in value:
        return refs[value["Ref"]]
    if "Fn::Sub" in value:
        text = value["Fn::Sub"]
        for name, resolved in refs.items():
            text = text.replace("${" + name + "}", str(resolved))
        return text
    if "Fn::If" in value:
        condition, then, otherwise = value["Fn::If"]
        assert condition == "FunctionNamed"
        return _resolve(then if refs["FunctionName"] else otherwise, refs)
    return {k: _resolve(v, refs) for k, v in value.items()}


def test_the_stack_emails_the_admin_through_the_encrypted_topic_and_its_alarms_are_valid(monkeypatch):
    """moto skips AWS::CloudWatch::Alarm, so each alarm's properties (the CloudWatch API's own
    names) are put into moto's CloudWatch as the stack would create them."""
    _aws_env(monkeypatch)
    with mock_aws(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cfn = boto3.client("cloudformation", region_name=REGION)
        cfn.create_stack(
            StackName=STACK, TemplateBody=TEMPLATE.read_text(), Capabilities=["CAPABILITY_IAM"],
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in {
                "DeletionProtection": "false", "EnableCdn": "false", "AdminEmail": ADMIN}.items()])
        stack = cfn.describe_stacks(StackName=STACK)["Stacks"][0]
        assert stack["StackStatus"] == "CREATE_COMPLETE"
        topic_arn = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}["AlarmTopicArn"]
        [key_id] = [r["PhysicalResourceId"] for r in
                    cfn.list_stack_resources(StackName=STACK)["StackResourceSummaries"]
                    if r.get("LogicalResourceId") == "TopicKey"]

        sns = boto3.client("sns", region_name=REGION)
        assert sns.get_topic_attributes(TopicArn=topic_arn)["Attributes"]["KmsMasterKeyId"] == key_id
        subscriptions = sns.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"]
        assert [(s["Protocol"], s["Endpoint"]) for s in subscriptions] == [("email", ADMIN)]

        refs = {"Stage": "dev", "FunctionName": "", "AlarmTopic": topic_arn, "AppTable": TABLE,
                "SmsSpendAlarmUsd": 80.0}
        cloudwatch = boto3.client("cloudwatch", region_name=REGION)
        for props in _alarms(_template()).values():
            cloudwatch.put_metric_alarm(**_resolve(props, refs))  # botocore checks every name
        made = {a["AlarmName"]: a for a in cloudwatch.describe_alarms()["MetricAlarms"]}
    assert made["attune-dev-function-errors"]["Dimensions"] == [{"Name": "FunctionName", "Value": "attune-dev"}]
    assert made["attune-dev-sms-spend"]["Threshold"] == 80.0
    assert made["attune-dev-ses-bounce-rate"]["Threshold"] == 0.02
    assert all(a["AlarmActions"] == [topic_arn] for a in made.values())
    assert len(made) == len(_alarms(_template()))


def test_each_alarm_points_to_a_section_of_the_operations_page():
    import re

    headings = set(re.findall(r"^## (.+)$", OPERATIONS_DOC.read_text(), flags=re.M))
    for lid, props in _alarms(_template()).items():
        [named] = re.findall(r'"([^"]+)"', props["AlarmDescription"])
        assert named in headings, (lid, named, headings)
