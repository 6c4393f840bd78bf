"""Helpers for tests on moto: a wired container on a freshly deployed table."""
import uuid

from tests.conftest import BASE_URL, TEST_SECRET


def make_config(endpoint, table_name, **extra):
    from portal.config import load

    env = {"PORTAL_ENV": "test", "AWS_ENDPOINT_URL": endpoint, "TABLE_NAME": table_name,
           "SECRET_KEY": TEST_SECRET, "BASE_URL": BASE_URL, "AWS_REGION": "us-east-1"}
    env.update(extra)
    return load(env)


def deployed_container(endpoint, clock=None, **extra):
    """A container on a fresh table, created by deploying infra/template.yaml.
    With PORTAL_ENV=dev it is the dev stack's, which logs each message for the outbox."""
    from devstack import DevContainer
    from portal.adapters.aws.infra import deploy_template
    from portal.wiring import Container

    name = f"attune-t{uuid.uuid4().hex[:10]}"
    config = make_config(endpoint, name, **extra)
    container = (DevContainer if config.is_dev else Container)(config, clock=clock)
    deploy_template(container.client("cloudformation"), name, name, container.config.sender_email)
    container.client("ses").verify_email_identity(EmailAddress=container.config.sender_email)
    return container
