"""The second factor (issue 16): no page with data before it, enrolment, verification, recovery codes, throttling,
the administrator's reset, and the settings that keep it on in production."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.checks import Error
from django.test import override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from piis.accounts.checks import second_factor_required
from piis.accounts.enums import Role
from piis.accounts.middleware import SECOND_FACTOR_OPEN_URL_NAMES
from piis.accounts.recovery import recovery_digest
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from tests.factories import make_member
from tests.fuzz.routes import discover_routes

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-123456"


def code_now(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def password_login(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _route_url(route) -> str | None:
    for value in (1, "x"):
        try:
            return route.url(dict.fromkeys(route.params, value))
        except NoReverseMatch:
            continue
    return None


@pytest.mark.parametrize("role", list(Role))
def test_every_page_redirects_a_session_without_the_second_factor(cpas_a, client, role):
    member = make_member(cpas_a, role)
    enrolled(member.user)
    client.force_login(member.user, second_factor=False)
    checked = 0
    for route in discover_routes():
        if route.name.split(":")[-1] in SECOND_FACTOR_OPEN_URL_NAMES:
            continue
        url = _route_url(route)
        assert url is not None, route.name
        for response in (client.get(url), client.post(url, {})):
            assert response.status_code == 302, (route.name, response.status_code)
            assert response["Location"].startswith(reverse("accounts:mfa_verify") + "?next="), route.name
        checked += 1
    assert checked > 50


def test_htmx_requests_are_sent_to_the_second_factor_as_a_whole_page(cpas_a, client):
    member = make_member(cpas_a)
    client.force_login(member.user, second_factor=False)
    response = client.get(reverse("cases:list"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:mfa_verify"))


def test_a_user_without_a_device_is_sent_to_enrol_and_enrols(cpas_a, client):
    member = make_member(cpas_a, Role.SOCIAL_WORKER)
    password_login(client, member.user)
    response = client.get(reverse("cases:list"))
    response = client.get(response["Location"])  # the verification page sends on to the enrolment
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:mfa_enrol"))
    page = client.get(response["Location"])
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert page.context["secret"].replace(" ", "")
    device = TOTPDevice.objects.get(user=member.user, confirmed=False)
    assert client.get(reverse("accounts:mfa_enrol")).context["secret"] == page.context["secret"]  # same key on reload

    wrong = client.post(reverse("accounts:mfa_enrol"), {"code": "000000"})
    assert wrong.status_code == 200 and "Wrong code" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        response = client.post(
            reverse("accounts:mfa_enrol") + "?next=/files/", {"code": code_now(device), "next": "/files/"}
        )
        assert response.status_code == 302
        shown = client.get(response["Location"])
        codes = re.findall(r"<li>([a-z2-7]{8})</li>", shown.content.decode())
        assert len(codes) == 10 and len(set(codes)) == 10
        assert shown.context["next"] == "/files/"
        # Shown once: the page is gone afterwards.
        assert client.get(reverse("accounts:mfa_recovery_codes_shown"))["Location"] == reverse("accounts:mfa_account")
        device.refresh_from_db()
        assert device.confirmed
        assert client.get(reverse("cases:list")).status_code == 200
    event = AuditEvent.objects.get(verb=AuditVerb.SECOND_FACTOR_ENROLLED)
    assert event.actor == member.user and event.cpas_id == cpas_a.pk


def test_with_a_device_the_enrolment_is_closed_to_whoever_has_the_password(cpas_a, client):
    member = make_member(cpas_a)
    enrolled(member.user)
    password_login(client, member.user)
    assert client.get(reverse("accounts:mfa_enrol"))["Location"] == reverse("accounts:mfa_verify")
    assert client.post(reverse("accounts:mfa_enrol"), {"code": "123456"})["Location"] == reverse("accounts:mfa_verify")
    assert TOTPDevice.objects.filter(user=member.user).count() == 1


def test_a_code_from_the_app_opens_the_session_and_goes_where_the_user_was_going(cpas_a, client):
    member = make_member(cpas_a)
    device = enrolled(member.user)
    password_login(client, member.user)
    target = client.get(reverse("cases:list"))["Location"]
    assert client.get(target).status_code == 200
    response = client.post(target, {"code": code_now(device), "next": reverse("cases:list")})
    assert response["Location"] == reverse("cases:list")
    assert client.get(reverse("cases:list")).status_code == 200


def test_the_next_page_never_leaves_the_site(cpas_a, client):
    member = make_member(cpas_a)
    device = enrolled(member.user)
    password_login(client, member.user)
    response = client.post(reverse("accounts:mfa_verify"), {"code": code_now(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("core:home")


def test_a_recovery_code_works_once(cpas_a, client):
    member = make_member(cpas_a)
    enrolled(member.user)
    password_login(client, member.user)
    client.force_login(member.user)  # verified, to make the codes
    client.post(reverse("accounts:mfa_recovery_codes_renew"))
    codes = client.get(reverse("accounts:mfa_recovery_codes_shown")).context["codes"]
    client.post(reverse("accounts:logout"))

    password_login(client, member.user)
    response = client.post(reverse("accounts:mfa_verify"), {"code": codes[0].upper()})
    assert response["Location"] == reverse("core:home")
    assert StaticToken.objects.filter(device__user=member.user).count() == 9
    assert AuditEvent.objects.filter(verb=AuditVerb.SECOND_FACTOR_CODE_USED, actor=member.user).count() == 1
    client.post(reverse("accounts:logout"))

    password_login(client, member.user)
    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
        response = client.post(reverse("accounts:mfa_verify"), {"code": codes[0]})
    assert response.status_code == 200 and "Wrong code" in response.content.decode()
    assert client.get(reverse("core:home")).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(cpas_a, client):
    member = make_member(cpas_a)
    enrolled(member.user)
    client.force_login(member.user)
    client.post(reverse("accounts:mfa_recovery_codes_renew"))
    old = client.get(reverse("accounts:mfa_recovery_codes_shown")).context["codes"]
    assert "10" in client.get(reverse("accounts:mfa_account")).content.decode()
    client.post(reverse("accounts:mfa_recovery_codes_renew"))
    new = client.get(reverse("accounts:mfa_recovery_codes_shown")).context["codes"]
    tokens = set(StaticToken.objects.filter(device__user=member.user).values_list("token", flat=True))
    assert tokens == {recovery_digest(code) for code in new} and not tokens & {recovery_digest(c) for c in old}
    assert not tokens & (set(new) | set(old))  # only digests are stored
    assert AuditEvent.objects.filter(verb=AuditVerb.SECOND_FACTOR_CODES_RENEWED).count() == 2


def test_wrong_codes_are_throttled_by_the_device(cpas_a, client):
    member = make_member(cpas_a)
    device = enrolled(member.user)
    password_login(client, member.user)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post(reverse("accounts:mfa_verify"), {"code": "000000"})
    with time_machine.travel(start + timedelta(seconds=1), tick=False):
        client.post(reverse("accounts:mfa_verify"), {"code": "000001"})
    # Two failures: the next try must wait 2 seconds, even with the right code.
    with time_machine.travel(start + timedelta(seconds=2), tick=False):
        response = client.post(reverse("accounts:mfa_verify"), {"code": code_now(device)})
        assert "Too many wrong codes" in response.content.decode()
        assert client.get(reverse("core:home")).status_code == 302
    with time_machine.travel(start + timedelta(seconds=4), tick=False):
        assert client.post(reverse("accounts:mfa_verify"), {"code": code_now(device)}).status_code == 302
        assert client.get(reverse("core:home")).status_code == 200


def test_five_wrong_codes_lock_the_name_from_this_address(cpas_a, client):
    member = make_member(cpas_a)
    device = enrolled(member.user)
    password_login(client, member.user)
    start = timezone.now()
    for attempt in range(5):
        with time_machine.travel(start + timedelta(minutes=attempt), tick=False):  # past the device's own delay
            response = client.post(reverse("accounts:mfa_verify"), {"code": "000000"})
    assert response.status_code == 429 and "Account locked" in response.content.decode()
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        response = client.post(reverse("accounts:mfa_verify"), {"code": code_now(device)})
        assert response.status_code == 429
        assert client.get(reverse("core:home")).status_code == 302


def test_the_cpas_administrator_resets_a_lost_device_and_the_dpo_sees_it(cpas_a, cpas_b, client):
    admin = make_member(cpas_a, Role.CPAS_ADMIN)
    dpo = make_member(cpas_a, Role.DPO)
    member = make_member(cpas_a, Role.SOCIAL_WORKER)
    enrolled(member.user)
    member_client = type(client)()
    member_client.force_login(member.user)
    assert member_client.get(reverse("core:home")).status_code == 200

    client.force_login(admin.user)
    page = client.get(reverse("accounts:mfa_staff"))
    assert page.status_code == 200 and member.user.username in page.content.decode()
    response = client.post(reverse("accounts:mfa_reset", args=[member.pk]))
    assert response["Location"] == reverse("accounts:mfa_staff")
    assert not TOTPDevice.objects.filter(user=member.user).exists()
    event = AuditEvent.objects.get(verb=AuditVerb.SECOND_FACTOR_RESET)
    assert (event.actor, event.cpas_id, event.target_id) == (admin.user, cpas_a.pk, member.user.pk)

    # The member's open session lost its verification: they enrol again.
    response = member_client.get(reverse("core:home"))
    assert response["Location"].startswith(reverse("accounts:mfa_verify"))
    assert member_client.get(reverse("accounts:mfa_verify"))["Location"].startswith(reverse("accounts:mfa_enrol"))

    client.force_login(dpo.user)
    trail = client.get(reverse("audit:list")).content.decode()
    assert "Second factor reset by the CPAS administrator" in trail


def test_only_the_administrator_of_the_same_cpas_resets(cpas_a, cpas_b, client):
    other_admin = make_member(cpas_b, Role.CPAS_ADMIN)
    member = make_member(cpas_a)
    enrolled(member.user)
    client.force_login(other_admin.user)
    assert client.post(reverse("accounts:mfa_reset", args=[member.pk])).status_code == 404
    worker = make_member(cpas_a, Role.TEAM_LEAD)
    client.force_login(worker.user)
    assert client.post(reverse("accounts:mfa_reset", args=[member.pk])).status_code == 403
    assert client.get(reverse("accounts:mfa_staff")).status_code == 403
    assert TOTPDevice.objects.filter(user=member.user).exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.SECOND_FACTOR_RESET).exists()


def test_the_staff_page_reads_in_a_fixed_number_of_queries(cpas_a, client, django_assert_max_num_queries):
    admin = make_member(cpas_a, Role.CPAS_ADMIN)
    client.force_login(admin.user)
    client.get(reverse("accounts:mfa_staff"))
    for _index in range(5):
        enrolled(make_member(cpas_a).user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("accounts:mfa_staff")).status_code == 200


@override_settings(PIIS_MFA_REQUIRED=False)
def test_development_settings_may_turn_it_off_with_a_banner(cpas_a, client):
    member = make_member(cpas_a)
    password_login(client, member.user)
    page = client.get(reverse("core:home"))
    assert page.status_code == 200
    assert "the second factor is off" in page.content.decode()


def test_deployment_check_refuses_it_off():
    with override_settings(PIIS_MFA_REQUIRED=False):
        errors = second_factor_required()
    assert [error.id for error in errors] == ["piis.E001"] and isinstance(errors[0], Error)
    with override_settings(PIIS_MFA_REQUIRED=True):
        assert second_factor_required() == []


def test_production_settings_force_it_on_whatever_the_environment():
    from pathlib import Path

    from piis.settings import base

    prod = (Path(base.__file__).parent / "prod.py").read_text()
    assert "\nPIIS_MFA_REQUIRED = True\n" in prod


# --- recovery codes stored as keyed digests (piis.accounts.recovery) ---


def _codes(client, member) -> list[str]:
    enrolled(member.user)
    client.force_login(member.user)
    client.post(reverse("accounts:mfa_recovery_codes_renew"))
    codes = client.get(reverse("accounts:mfa_recovery_codes_shown")).context["codes"]
    client.post(reverse("accounts:logout"))
    return codes


def test_recovery_codes_are_stored_hashed_and_a_stored_value_is_no_code(cpas_a, client):
    member = make_member(cpas_a)
    codes = _codes(client, member)
    stored = list(StaticToken.objects.filter(device__user=member.user).values_list("token", flat=True))
    assert len(stored) == 10 and not set(stored) & set(codes)
    assert all(re.fullmatch(r"[a-z2-7]{16}", token) for token in stored)
    # what a reader of the table sees does not log in
    password_login(client, member.user)
    response = client.post(reverse("accounts:mfa_verify"), {"code": stored[0]})
    assert response.status_code == 200 and "Wrong code" in response.content.decode()
    assert StaticToken.objects.filter(device__user=member.user).count() == 10
    # a code typed with spaces and capitals works, once
    spaced = " ".join(codes[3][i : i + 4] for i in range(0, 8, 4)).upper()
    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
        assert client.post(reverse("accounts:mfa_verify"), {"code": spaced})["Location"] == reverse("core:home")
    assert StaticToken.objects.filter(device__user=member.user).count() == 9


def test_a_recovery_code_survives_a_key_rotation_through_the_fallback_keys(cpas_a, client, settings):
    member = make_member(cpas_a)
    codes = _codes(client, member)
    old_key = settings.SECRET_KEY
    with override_settings(SECRET_KEY="a-new-key-" + "x" * 50, SECRET_KEY_FALLBACKS=[old_key]):
        password_login(client, member.user)
        assert client.post(reverse("accounts:mfa_verify"), {"code": codes[0]})["Location"] == reverse("core:home")
    client.post(reverse("accounts:logout"))
    with override_settings(SECRET_KEY="a-new-key-" + "x" * 50, SECRET_KEY_FALLBACKS=[]):
        password_login(client, member.user)
        with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
            response = client.post(reverse("accounts:mfa_verify"), {"code": codes[1]})
        assert response.status_code == 200  # the old key dropped: its codes no longer work


def test_the_migration_hashes_the_codes_already_issued_in_place(cpas_a, client):
    """accounts 0004: plain django-otp tokens (as the previous version stored them) become digests; the same codes
    still log in, once; a digest is not hashed again when the migration's step runs twice."""
    import importlib

    from django.apps import apps
    from django_otp.plugins.otp_static.models import StaticDevice

    migration = importlib.import_module("piis.accounts.migrations.0004_recovery_codes_hashed")
    member = make_member(cpas_a)
    enrolled(member.user)
    device = StaticDevice.objects.create(user=member.user, name="recovery", confirmed=True)
    plain = [StaticToken.random_token() for _index in range(3)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in plain])
    migration.hash_plain_codes(apps, None)
    stored = set(StaticToken.objects.filter(device=device).values_list("token", flat=True))
    assert stored == {recovery_digest(code) for code in plain}
    migration.hash_plain_codes(apps, None)
    assert set(StaticToken.objects.filter(device=device).values_list("token", flat=True)) == stored
    password_login(client, member.user)
    assert client.post(reverse("accounts:mfa_verify"), {"code": plain[2]})["Location"] == reverse("core:home")
    assert StaticToken.objects.filter(device=device).count() == 2
