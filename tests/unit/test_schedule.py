"""rate() and cron() as EventBridge reads them, and the functions zappa_settings.json lists."""
from datetime import datetime, timezone

import pytest

from devstack.schedule import next_fire, scheduled_functions, short_name


def at(*args):
    return datetime(*args, tzinfo=timezone.utc)


def test_rate_fires_on_the_grid():
    assert next_fire("rate(5 minutes)", at(2026, 3, 2, 10, 3)) == at(2026, 3, 2, 10, 5)
    assert next_fire("rate(5 minutes)", at(2026, 3, 2, 10, 5)) == at(2026, 3, 2, 10, 10)
    assert next_fire("rate(1 hour)", at(2026, 3, 2, 10, 3)) == at(2026, 3, 2, 11, 0)
    assert next_fire("rate(1 day)", at(2026, 3, 2, 10, 3)) == at(2026, 3, 3, 0, 0)


def test_cron_with_aws_weekday_numbers_and_names():
    # 12:00 UTC on weekdays; 2026-03-07 is a Saturday, so the next is Monday the 9th.
    assert next_fire("cron(0 12 ? * MON-FRI *)", at(2026, 3, 6, 12, 0)) == at(2026, 3, 9, 12, 0)
    assert next_fire("cron(0 12 ? * 2-6 *)", at(2026, 3, 6, 12, 0)) == at(2026, 3, 9, 12, 0)
    assert next_fire("cron(*/15 * * * ? *)", at(2026, 3, 6, 12, 1)) == at(2026, 3, 6, 12, 15)
    assert next_fire("cron(30 9 1 * ? *)", at(2026, 3, 6, 12, 1)) == at(2026, 4, 1, 9, 30)


@pytest.mark.parametrize("expression", ["every 5 minutes", "rate(five minutes)", "cron(0 12 * *)",
                                        "cron(0 25 * * ? *)"])
def test_malformed_expressions_are_refused(expression):
    with pytest.raises(ValueError):
        next_fire(expression, at(2026, 3, 2, 10, 0))


def test_zappa_settings_list_the_scheduled_functions():
    functions = scheduled_functions("dev")
    assert "reminders" in functions
    assert functions["reminders"].handler().__name__ == "handler"
    assert short_name("functions.reminders.handler") == "reminders"
