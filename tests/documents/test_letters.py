"""Letters from templates: placeholders checked, legal dates read from the adapters, sent as PDF and kept."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from piis.accounts.enums import Role
from piis.audit.models import AuditEvent
from piis.core.errors import ServiceError
from piis.documents.compose import compose
from piis.documents.letters import DEFAULTS, PLACEHOLDERS, check_template, default_wording
from piis.documents.models import Letter, LetterTemplate
from piis.followup.models import MeetingRequest
from tests.documents.builders import make_letter_template
from tests.factories import make_beneficiary, make_contract, make_member, make_version

pytestmark = pytest.mark.django_db


def test_every_default_uses_only_its_placeholders_in_every_language():
    for kind in DEFAULTS:
        for language in ("fr", "nl", "de", "en"):
            subject, body = default_wording(kind, language)
            check_template(kind, subject, body)


def test_unknown_placeholder_refused():
    with pytest.raises(ServiceError) as refused:
        check_template("handover", "Objet", "Bonjour {first_name}, réunion le {meeting_deadline}")
    assert refused.value.code == "LETTER_PLACEHOLDER_UNKNOWN"
    assert refused.value.params["name"] == "{meeting_deadline}"
    with pytest.raises(ServiceError) as alone:
        check_template("handover", "Objet", "Bonjour {first_name")
    assert alone.value.code == "LETTER_BRACE_ALONE"


def test_admin_edits_a_template_unknown_placeholder_translated(cpas_a, login):
    admin = make_member(cpas_a, Role.CPAS_ADMIN)
    admin.user.preferred_language = "fr"
    admin.user.save()
    client = login(admin)
    url = reverse("documents:template_edit", args=["rights_reminder", "fr"])
    page = client.get(url)
    assert page.status_code == 200 and "{rights}" in page.content.decode()
    response = client.post(url, {"subject": "Vos droits", "body": "Bonjour {prenom}"})
    assert response.status_code == 200
    with translation.override("fr"):
        from piis.core.error_catalogue import CATALOGUE

        expected = str(CATALOGUE["LETTER_PLACEHOLDER_UNKNOWN"]) % {"name": "{prenom}", "allowed": "x"}
    errors = response.context["form"].errors["body"]
    assert errors and errors[0].startswith(expected.split("x")[0][:20])
    assert not LetterTemplate.objects.for_cpas(cpas_a).exists()
    response = client.post(url, {"subject": "Vos droits", "body": "Bonjour {first_name},\n\n{rights}"})
    assert response.status_code == 302
    assert LetterTemplate.objects.for_cpas(cpas_a).get().body.startswith("Bonjour {first_name}")
    assert AuditEvent.objects.for_cpas(cpas_a).filter(verb="letter_template_changed").count() == 1


def test_stale_template_save_refused(cpas_a, login):
    admin = make_member(cpas_a, Role.CPAS_ADMIN)
    template = make_letter_template(cpas_a)
    client = login(admin)
    url = reverse("documents:template_edit", args=[template.kind, template.language])
    page = client.get(url)
    assert page.context["form"].read_version_input


def test_meeting_confirmation_reads_the_stored_deadline(cpas_a):
    member = make_member(cpas_a)
    beneficiary = make_beneficiary(cpas_a, social_worker=member.user)
    # A deadline as the follow-up stored it; the letter quotes it as is, never recomputed.
    request = MeetingRequest.objects.create(
        cpas=cpas_a, beneficiary=beneficiary, requested_on=datetime.date(2026, 3, 2), requested_by="beneficiary",
        deadline=datetime.date(2026, 3, 13), recorded_by=member.user,
    )  # fmt: skip
    data = {"language": "fr", "sent_on": datetime.date(2026, 3, 3), "meeting_request": request.pk}
    composed = compose(membership=member, beneficiary=beneficiary, kind="meeting_confirmation", data=data)
    assert "13 mars 2026" in composed.filled.body or "13/03/2026" in composed.filled.body


def test_handover_letter_quotes_the_reflection_dates(cpas_a):
    from piis.contracts.reflection import reflection_dates

    member = make_member(cpas_a)
    contract = make_contract(cpas_a, social_worker=member.user, status="handed_over")
    handed = datetime.date(2026, 3, 2)
    make_version(cpas_a, contract=contract, handed_over_on=handed)
    composed = compose(membership=member, beneficiary=contract.beneficiary, kind="handover",
                       data={"language": "en", "sent_on": handed})  # fmt: skip
    dates = reflection_dates(handed)
    from piis.documents.letters import short_date

    with translation.override("en"):
        assert short_date(dates.last_day) in composed.filled.body
        assert short_date(dates.signature_from) in composed.filled.body


def test_send_an_evaluation_invitation(cpas_a, login):
    member = make_member(cpas_a)
    contract = make_contract(cpas_a, social_worker=member.user, status="in_force",
                             signed_on=datetime.date(2026, 1, 15))  # fmt: skip
    beneficiary = contract.beneficiary
    beneficiary.social_worker = member.user
    beneficiary.language = "nl"
    beneficiary.save()
    client = login(member)
    url = reverse("documents:letter_new", args=[beneficiary.pk, "evaluation_invitation"])
    today = timezone.localdate()
    data = {"language": "nl", "sent_on": today.isoformat(),
            "meeting_on": (today + datetime.timedelta(days=14)).isoformat(), "meeting_time": "10:30",
            "meeting_place": "Rue Haute 298a, bureau 4"}  # fmt: skip
    preview = client.post(url, data)
    assert preview.status_code == 200 and "Rue Haute 298a" in preview.content.decode()
    assert not Letter.objects.for_cpas(cpas_a).exists()
    sent = client.post(url, {**data, "send": "1"})
    assert sent.status_code == 302
    letter = Letter.objects.for_cpas(cpas_a).get()
    assert letter.kind == "evaluation_invitation" and letter.language == "nl" and letter.contract == contract
    assert "Rue Haute 298a" in letter.body
    with letter.pdf.open("rb") as stored:
        content = stored.read()
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == letter.sha256
    assert AuditEvent.objects.for_cpas(cpas_a).filter(verb="letter_sent", target_id=letter.pk).exists()
    page = client.get(reverse("cases:detail", args=[beneficiary.pk])).content.decode()
    assert letter.subject in page
    pdf = client.get(reverse("documents:letter_pdf", args=[letter.pk]))
    assert pdf.status_code == 200 and pdf.content == content
    assert AuditEvent.objects.for_cpas(cpas_a).filter(verb="letter_opened", target_id=letter.pk).exists()


def test_every_kind_has_placeholders_and_a_default():
    assert set(DEFAULTS) == set(PLACEHOLDERS)
