"""The composition root: builds the real adapters from the settings, lazily.

``create_app`` and every Lambda handler get their collaborators here, so a handler is
a few lines and a test can wire fakes instead. Nothing here runs at import time:
boto3 is imported and clients are made on first use, keeping the cold path lean.
"""
from __future__ import annotations

import threading
from functools import cached_property
from typing import Any

from portal import config as config_module
from portal.adapters.aws.secrets import read_secret_parameter
from portal.clock import DevClock, SystemClock
from portal.config import Config
from portal.interfaces import Clock, Deps, LinkMaker, Notifier, Store
from portal.links import Links


class Container:
    """The collaborators a service needs. Each one given is used as is (a test passes its
    fakes here); each one not given is built from ``config`` on first use."""

    def __init__(self, config: Config, *, clock: Clock | None = None, store: Store | None = None,
                 notifier: Notifier | None = None, links: LinkMaker | None = None) -> None:
        self.config = config
        self._given: dict[str, Any] = {"clock": clock, "store": store, "notifier": notifier, "links": links}
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    def client(self, service: str) -> Any:
        """One boto3 client per service, made on first use (thread-safe)."""
        with self._lock:
            if service not in self._clients:
                import boto3  # imported here: the health check and import stay AWS-free
                from botocore.config import Config as BotoConfig

                # Retries (throttling, timeouts, 5xx) in one place, with timeouts that leave a
                # Lambda request time to answer kindly: 2 s to connect, 5 s to read (a local
                # emulator gets longer: config.aws_read_timeout), 3 tries.
                kwargs = {"region_name": self.config.region, "config": BotoConfig(
                    connect_timeout=2, read_timeout=self.config.aws_read_timeout,
                    retries={"mode": "standard", "total_max_attempts": 3})}
                if self.config.endpoint_url:
                    kwargs["endpoint_url"] = self.config.endpoint_url
                self._clients[service] = boto3.session.Session().client(service, **kwargs)
            return self._clients[service]

    @cached_property
    def clock(self) -> Clock:
        if self._given["clock"] is not None:
            return self._given["clock"]
        return DevClock() if self.config.is_dev else SystemClock()

    @cached_property
    def store(self) -> Store:
        given = self._given["store"]
        if given is not None:
            if getattr(given, "clock", False) is None:  # a test's store reads expiry on our clock
                given.clock = self.clock
            return given
        from portal.adapters.store import Store  # lazy: the adapters load on first use,
        from portal.adapters.tables.dynamo import DynamoTable  # so the health check and tests of fakes skip them

        return Store(DynamoTable(self.client("dynamodb"), self.config.table_name), clock=self.clock)

    @cached_property
    def notifier(self) -> Notifier:
        if self._given["notifier"] is not None:
            return self._given["notifier"]
        return self.build_notifier()

    def build_notifier(self) -> Notifier:
        """SES, SNS and voice from the settings (the dev stack wraps this to log each message)."""
        from portal.adapters.aws.senders import AwsNotifier, emulated_voice  # lazy: on first send

        recorder = emulated_voice if self.config.voice_mode == "table" else None
        return AwsNotifier(self.client, self.config.sender_email, self.config.ses_configuration_set,
                           self.config.sms_origination_number, self.config.voice_origination_number,
                           voice_recorder=recorder,
                           sms_configuration_set=self.config.sms_configuration_set)

    @cached_property
    def links(self) -> Links:
        if self._given["links"] is not None:
            return self._given["links"]
        return Links(self.config.secret_key, self.config.base_url, self.config.link_ttl_days)

    @cached_property
    def deps(self) -> Deps:
        return Deps(store=self.store, notifier=self.notifier, clock=self.clock, links=self.links,
                    link_ttl_days=self.config.link_ttl_days)


_default: Container | None = None


def default_container() -> Container:
    """The container a Lambda handler uses: built once per process from the environment."""
    global _default
    if _default is None:
        _default = Container(config_module.load(secret_loader=read_secret_parameter))
    return _default


def set_default_container(container: Container | None) -> None:
    """The local stack, and tests with a container of fakes, point the handlers at it."""
    global _default
    _default = container
