"""The AWS senders (SES, SNS, SMS-Voice), the busy-error mapping, secrets and the template
deployer: the only adapters that call AWS beside ``tables.dynamo``."""
