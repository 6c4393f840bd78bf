"""The practice settings: one item, written conditionally on the version the editor saw."""
from __future__ import annotations

from dataclasses import replace

from portal.adapters.codec import keys
from portal.adapters.codec import settings as codec_settings
from portal.adapters.store.base import StoreBase
from portal.adapters.store.team import storable_version
from portal.adapters.tables import ConditionFailed, Equals, NotExists
from portal.domain.errors import StaleVersion
from portal.domain.model import PracticeSettings


class SettingsRecords(StoreBase):
    # --- practice settings ------------------------------------------------------------------
    def get_settings(self) -> PracticeSettings:
        settings = codec_settings.settings_from_item(self.table.get(*keys.SETTINGS_KEY))
        self.last_settings = settings  # the busy page's phone number, without another call
        return settings

    last_settings: PracticeSettings | None = None

    def save_settings(self, settings: PracticeSettings) -> PracticeSettings:
        """Conditional on the version the editor saw; returns the stored settings."""
        if not storable_version(settings.version):
            raise StaleVersion("The settings were changed by someone else. Here they are now.")
        condition = NotExists() if settings.version == 0 else Equals("version", settings.version)
        stored = replace(settings, version=settings.version + 1)
        try:
            self.table.put(codec_settings.settings_to_item(stored), condition)
        except ConditionFailed:
            raise StaleVersion("The settings were changed by someone else. Here they are now.") from None
        return stored
