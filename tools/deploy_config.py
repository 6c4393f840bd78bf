"""Wire a zappa_settings.json stage to a deployed stack's outputs.

    python -m tools.deploy_config --stack attune-prod --stage prod --base-url https://portal.example.org

Sets the stage's role (the template's least-privilege LambdaRole), its environment (table,
SES configuration set, sender, static URL, the SSM name of SECRET_KEY) and the SNS-driven
events (inbound SMS, SES events, SMS delivery events) and the topics they are accepted from,
from the stack's outputs. SECRET_KEY itself never enters the
file: it is read at start-up from SSM Parameter Store (see README "Deploy to AWS").
"""
from __future__ import annotations

import argparse
import json
import sys

from portal.paths import ROOT

TOPIC_FUNCTIONS = {  # function module -> the stack output naming the topic that drives it
    "functions.sms_inbound.handler": "InboundSmsTopicArn",
    "functions.bounces.handler": "SesEventsTopicArn",
    "functions.sms_events.handler": "SmsEventsTopicArn",
}


def stack_outputs(cloudformation, stack: str) -> dict:
    described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}


def wire(settings: dict, stage: str, outputs: dict, base_url: str) -> dict:
    config = settings.setdefault(stage, {})
    config["role_arn"] = outputs["LambdaRoleArn"]
    config["manage_roles"] = False
    env = config.setdefault("environment_variables", {})
    env.update({
        "PORTAL_ENV": "production",
        "TABLE_NAME": outputs["TableName"],
        "SES_CONFIGURATION_SET": outputs.get("ConfigurationSetName", ""),
        # Events are accepted from the stack's own topics only (portal.services.messaging.delivery).
        "SES_EVENTS_TOPIC_ARN": outputs.get("SesEventsTopicArn", ""),
        "SMS_EVENTS_TOPIC_ARN": outputs.get("SmsEventsTopicArn", ""),
        "SMS_CONFIGURATION_SET": outputs.get("SmsConfigurationSetName", ""),
        "SENDER_EMAIL": outputs.get("SenderEmail", ""),
        "STATIC_URL": outputs.get("StaticUrl", "").rstrip("/"),
        "SECRET_KEY_PARAMETER": f"/attune/{stage}/secret-key",
        "BASE_URL": base_url.rstrip("/"),
    })
    events = config.get("events") or [dict(e) for e in settings.get("dev", {}).get("events", [])]
    for event in events:
        output = TOPIC_FUNCTIONS.get(event.get("function"))
        if output and output in outputs:
            event["event_source"] = {"arn": outputs[output], "events": ["sns:Publish"]}
    config["events"] = events
    return settings


def main(argv=None) -> int:
    import boto3

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", required=True)
    parser.add_argument("--stage", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--settings", default=str(ROOT / "zappa_settings.json"))
    args = parser.parse_args(argv)
    with open(args.settings) as handle:
        settings = json.load(handle)
    wire(settings, args.stage, stack_outputs(boto3.client("cloudformation"), args.stack), args.base_url)
    with open(args.settings, "w") as handle:
        json.dump(settings, handle, indent=4)
        handle.write("\n")
    print(f"{args.settings}: stage {args.stage} wired to stack {args.stack}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
