"""A user name longer than any account's is a form error on the login page, not a server error (django-axes would
record the failed attempt's name in a column of 255 characters)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("length", [151, 256, 50_000])
def test_a_user_name_too_long_is_a_form_error(client, length):
    response = client.post(reverse("accounts:login"), {"username": "u" * length, "password": "whatever-123456"})
    assert response.status_code == 200
    assert "username" in response.context["form"].errors


def test_a_user_name_of_the_longest_length_is_checked_as_usual(client):
    response = client.post(reverse("accounts:login"), {"username": "u" * 150, "password": "whatever-123456"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"__all__": [response.context["form"].error_messages["invalid_login"]]}
