"""Settings from the environment. Imports nothing of ours; every variable is listed in the README."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping
from urllib.parse import urlparse

WEAK_SECRETS = {"dev", "secret", "changeme", "change-me", "password", "test", "development"}
MIN_SECRET_LENGTH = 32
# scrypt's cost N for therapists' passwords (r=8, p=1: werkzeug's default, 32 MiB a hash). Read
# at each hash, so the test suite can lower it (tests/conftest.py) and hash in milliseconds;
# nothing else changes it. A stored hash names its own cost, so it always verifies.
SCRYPT_N = 2 ** 15
DEV_SECRET = "dev-only-secret-key-not-for-production-use"  # local runs only: refused on Lambda
# The local stack's event topics (zappa_settings.json's dev stage names the same ones).
DEV_TOPICS = {"SES_EVENTS_TOPIC_ARN": "arn:aws:sns:us-east-1:000000000000:attune-dev-ses-events",
              "SMS_EVENTS_TOPIC_ARN": "arn:aws:sns:us-east-1:000000000000:attune-dev-sms-events"}


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable."""


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _url(env: Mapping[str, str], name: str, default: str | None, required_scheme: bool = True) -> str | None:
    raw = env.get(name) or default
    if raw is None:
        return None
    parsed = urlparse(raw)
    if required_scheme and (parsed.scheme not in ("http", "https") or not parsed.netloc):
        raise ConfigError(f"{name} must be a full http(s) URL such as https://portal.example.org, got {raw!r}")
    return raw.rstrip("/")


def _check_secret(secret: str, where: str) -> None:
    if not secret:
        raise ConfigError(f"SECRET_KEY is not set: {where} the portal needs a random secret of "
                          f"at least {MIN_SECRET_LENGTH} characters")
    if secret == DEV_SECRET or len(secret) < MIN_SECRET_LENGTH or secret.lower() in WEAK_SECRETS:
        raise ConfigError(f"SECRET_KEY is too weak: {where} use a random value of at least "
                          f"{MIN_SECRET_LENGTH} characters")


@dataclass(frozen=True)
class Config:
    env: str  # "production", "dev" or "test"
    secret_key: str
    base_url: str
    table_name: str
    region: str
    endpoint_url: str | None
    sender_email: str
    ses_configuration_set: str
    sms_origination_number: str
    voice_origination_number: str
    voice_mode: str  # "aws" (SendVoiceMessage) or "table" (recorded for the dev outbox)
    link_ttl_days: int
    static_url: str
    session_hours: int
    demo_password: str = ""
    aws_read_timeout: int = 5  # seconds; see load()
    ses_events_topic_arn: str = ""  # SES events are accepted from this topic only
    sms_events_topic_arn: str = ""  # End User Messaging SMS events, likewise
    sms_configuration_set: str = ""  # set: texts go through End User Messaging with it
    extra: dict = field(default_factory=dict)

    @property
    def is_dev(self) -> bool:
        return self.env == "dev"

    @property
    def is_production(self) -> bool:
        return self.env == "production"


def load(environ: Mapping[str, str] | None = None, *,
         secret_loader: Callable[[str, str, str | None], str] | None = None, **overrides: Any) -> Config:
    """``secret_loader(name, region, endpoint_url)`` reads SECRET_KEY from SSM Parameter Store
    when SECRET_KEY is unset and SECRET_KEY_PARAMETER names a parameter (one call at start-up)."""
    env = dict(os.environ if environ is None else environ)
    mode = (env.get("PORTAL_ENV") or "production").strip().lower()
    if mode not in ("production", "dev", "test"):
        raise ConfigError(f"PORTAL_ENV must be dev, test or unset (production), got {mode!r}")
    secret = env.get("SECRET_KEY", "")
    parameter = env.get("SECRET_KEY_PARAMETER", "")
    if not secret and parameter and secret_loader is not None:
        try:
            secret = secret_loader(parameter, env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION")
                                   or "us-east-1", env.get("AWS_ENDPOINT_URL") or None)
        except Exception as problem:  # a missing parameter or permission: say which
            raise ConfigError(f"SECRET_KEY_PARAMETER {parameter} could not be read: {problem}") from None
    on_lambda = bool(env.get("AWS_LAMBDA_FUNCTION_NAME"))
    if mode == "production" or on_lambda:  # on Lambda whatever PORTAL_ENV says
        _check_secret(secret, "on AWS Lambda" if on_lambda else "in production")
    elif not secret:
        secret = DEV_SECRET
    voice_mode = env.get("VOICE_MODE") or ("table" if mode != "production" else "aws")
    if voice_mode not in ("aws", "table"):
        raise ConfigError(f"VOICE_MODE must be aws or table, got {voice_mode!r}")
    values: dict[str, Any] = dict(
        env=mode,
        secret_key=secret,
        base_url=_url(env, "BASE_URL", "http://127.0.0.1:5000"),
        table_name=env.get("TABLE_NAME") or "attune-dev",
        region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
        endpoint_url=_url(env, "AWS_ENDPOINT_URL", None),
        sender_email=env.get("SENDER_EMAIL") or "reminders@example.org",
        ses_configuration_set=env.get("SES_CONFIGURATION_SET", ""),
        sms_origination_number=env.get("SMS_ORIGINATION_NUMBER", ""),
        voice_origination_number=env.get("VOICE_ORIGINATION_NUMBER", ""),
        voice_mode=voice_mode,
        link_ttl_days=_int(env, "LINK_TTL_DAYS", 7, 1, 90),
        static_url=(env.get("STATIC_URL") or "").rstrip("/"),
        session_hours=_int(env, "SESSION_HOURS", 8, 1, 24 * 14),
        demo_password=env.get("PORTAL_DEMO_PASSWORD", ""),
        # 5 s leaves a Lambda request time to answer kindly when DynamoDB is slow; a local
        # emulator (AWS_ENDPOINT_URL) serialises requests on a shared machine, so it gets longer.
        aws_read_timeout=_int(env, "AWS_READ_TIMEOUT", 20 if env.get("AWS_ENDPOINT_URL") else 5, 1, 60),
        sms_configuration_set=env.get("SMS_CONFIGURATION_SET", ""),
        **{name.lower(): env.get(name) or (default if mode != "production" else "")
           for name, default in DEV_TOPICS.items()},
    )
    values.update(overrides)
    return Config(**values)
