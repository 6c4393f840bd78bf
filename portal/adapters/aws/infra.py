"""Deploys infra/template.yaml: the one definition of the table, for tests and the local stack."""
from __future__ import annotations

import warnings
from typing import Any

from portal.paths import INFRA_TEMPLATE as TEMPLATE

LOCAL_PARAMETERS = {"DeletionProtection": "false", "EnableCdn": "false"}


def deploy_template(cloudformation: Any, stack_name: str, table_name: str, sender_email: str,
                    parameters: dict | None = None) -> dict:
    """Create the stack unless it exists; returns its outputs. Idempotent."""
    existing = _outputs(cloudformation, stack_name)
    if existing is not None:
        return existing
    values = {"TableName": table_name, "SenderEmail": sender_email, **LOCAL_PARAMETERS,
              **(parameters or {})}
    with warnings.catch_warnings():
        # moto skips the types it does not model (SES configuration sets, CloudFront).
        warnings.simplefilter("ignore")
        cloudformation.create_stack(
            StackName=stack_name, TemplateBody=TEMPLATE.read_text(),
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in values.items()],
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
        )
    return _outputs(cloudformation, stack_name) or {}


def _outputs(cloudformation: Any, stack_name: str) -> dict[str, str] | None:
    try:
        stacks = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    except cloudformation.exceptions.ClientError:
        return None
    live = [s for s in stacks if s["StackStatus"] not in ("DELETE_COMPLETE",)]
    if not live:
        return None
    return {o["OutputKey"]: o["OutputValue"] for o in live[0].get("Outputs", [])}
