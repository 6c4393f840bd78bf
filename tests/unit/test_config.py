"""Settings: the dev-only secret never runs on AWS Lambda, whatever PORTAL_ENV says."""
import pytest

from portal.config import DEV_SECRET, ConfigError, load
from tests.conftest import TEST_SECRET

LAMBDA = {"AWS_LAMBDA_FUNCTION_NAME": "attune-production"}


@pytest.mark.parametrize("env", [
    {"PORTAL_ENV": "dev"},
    {"PORTAL_ENV": "test"},
    {"PORTAL_ENV": "dev", "SECRET_KEY": DEV_SECRET},
    {"PORTAL_ENV": "test", "SECRET_KEY": DEV_SECRET},
    {"SECRET_KEY": DEV_SECRET},
    {"PORTAL_ENV": "dev", "SECRET_KEY": "changeme"},
])
def test_on_lambda_the_dev_secret_or_a_weak_one_stops_start_up(env):
    with pytest.raises(ConfigError, match="SECRET_KEY .* on AWS Lambda"):
        load(dict(env, **LAMBDA))


def test_on_lambda_a_strong_secret_starts_in_any_mode():
    assert load(dict(LAMBDA, PORTAL_ENV="dev", SECRET_KEY=TEST_SECRET)).secret_key == TEST_SECRET


def test_off_lambda_dev_and_test_fall_back_to_the_dev_secret():
    assert load({"PORTAL_ENV": "dev"}).secret_key == DEV_SECRET
    assert load({"PORTAL_ENV": "test", "AWS_LAMBDA_FUNCTION_NAME": ""}).secret_key == DEV_SECRET
    with pytest.raises(ConfigError, match="SECRET_KEY .* in production"):
        load({"SECRET_KEY": DEV_SECRET})
