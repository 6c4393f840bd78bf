"""The admin's privacy pages in the system Chromium: the access log and the erase page have
no axe violations; erasing a demo client behind the typed first name."""
import pytest

from tests.e2e.conftest import screenshot
from tests.e2e.test_workspace_browser import assert_accessible, laptop_page, sign_in  # noqa: F401

pytestmark = pytest.mark.browser


def test_access_log_and_erasure_of_a_demo_client(live_stack, laptop_page):  # noqa: F811
    container, url = live_stack
    page = laptop_page
    sign_in(page, url)
    client = container.store.list_clients("mchen1")[-1]
    page.goto(f"{url}/t/clients/{client.id}")
    page.get_by_role("link", name="Access log: who opened this record").click()
    assert page.get_by_role("cell", name="opened the client page").count() >= 1
    assert_accessible(page, "access log")
    screenshot(page, "workspace-access-log")
    page.goto(f"{url}/t/clients/{client.id}/erase")
    assert_accessible(page, "erase")
    page.get_by_label("Type the client's first name").fill("not the name")
    page.get_by_role("button", name=f"Erase {client.first_name}'s data").click()
    assert page.get_by_role("alert").count() == 1
    assert_accessible(page, "erase refused")
    page.get_by_label("Type the client's first name").fill(client.first_name)
    page.get_by_role("button", name=f"Erase {client.first_name}'s data").click()
    page.wait_for_url(f"{url}/t/clients/{client.id}")
    assert "erased on request" in page.content()
    assert container.store.get_client(client.id).erased
    screenshot(page, "workspace-client-erased")
