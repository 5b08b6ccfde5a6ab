"""Issue 16, faults: with the database down, the browser shows the translated 503 page (its own stylesheet, no
database behind it) and fits a phone; once the database is back the login page answers again."""

import pytest
from django.db import OperationalError, connections

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_the_outage_page_on_a_phone_then_the_application_again(page, screenshot, monkeypatch):
    page.set_viewport_size(PHONE)
    down = type(connections["default"])

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(down, "ensure_connection", refuse)
        response = page.goto("/accounts/login/")
        assert response is not None and response.status == 503
        assert response.headers.get("retry-after") == "10"
        page.get_by_role("heading", name="The application is briefly unavailable").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot("outage-503-phone")
    response = page.goto("/accounts/login/")
    assert response is not None and response.status == 200
