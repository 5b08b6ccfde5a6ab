"""The demo's API token per CPAS (piis.api.demo, printed by `make run`): idempotent, and it answers."""

import pytest
from django.core.management import call_command

from piis.api.demo import demo_api_tokens
from piis.api.models import ApiToken
from tests.factories import make_beneficiary, make_member


@pytest.mark.django_db
def test_each_demo_cpas_gets_one_working_token_the_same_on_every_run(client, cpas_a, cpas_b):
    for cpas in (cpas_a, cpas_b):
        member = make_member(cpas)
        member.user.email = f"{member.user.username}@demo.invalid"
        member.user.save()
    person = make_beneficiary(cpas_a)
    first = demo_api_tokens()
    assert [cpas for cpas, _text in first] == [cpas_a, cpas_b]
    again = demo_api_tokens()
    assert first == again and ApiToken.objects.count() == 2
    text = dict(first)[cpas_a]
    response = client.get("/api/v1/files", HTTP_AUTHORIZATION=f"Bearer {text}")
    assert response.status_code == 200 and [row["id"] for row in response.json()["items"]] == [person.pk]
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert demo_api_tokens() == first  # renewed
    assert client.get("/api/v1/files", HTTP_AUTHORIZATION=f"Bearer {text}").status_code == 200


@pytest.mark.django_db
def test_the_command_prints_the_tokens_and_a_curl_call(cpas_a, capsys):
    member = make_member(cpas_a)
    member.user.email = "x@demo.invalid"
    member.user.save()
    call_command("demo_api_tokens", url="http://127.0.0.1:8000/")
    out = capsys.readouterr().out
    assert f"piis_{cpas_a.pk}_demo" in out and 'curl -H "Authorization: Bearer' in out
    assert "http://127.0.0.1:8000/api/v1/files" in out


@pytest.mark.django_db
def test_the_command_is_refused_where_demo_data_is_not_allowed(settings):
    from django.core.management.base import CommandError

    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("demo_api_tokens")
