"""Needs assessments by life domain (R25, S-Pers 1–3, S-Dom 16): what the form accepts and what the file shows."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.cases.models import AssessmentItem, NeedsAssessment
from piis.cases.services import needs_assessment_save
from tests.factories import make_assessment, make_assessment_item, make_beneficiary, make_contract, make_objective

pytestmark = pytest.mark.django_db


def _management(total: int, initial: int = 0) -> dict:
    return {
        "items-TOTAL_FORMS": str(total),
        "items-INITIAL_FORMS": str(initial),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }


def _data(worker, *items: dict, own_words="Je veux devenir aide-soignante.") -> dict:
    data = {
        "assessment-assessed_on": "2026-01-20",
        "assessment-author": str(worker.user.pk),
        "assessment-own_words": own_words,
        **_management(len(items)),
    }
    for i, item in enumerate(items):
        data.update({f"items-{i}-{key}": value for key, value in item.items()})
    return data


def _written(beneficiary) -> set[tuple[str, str]]:
    """(object type, event) of the audit rows of the file's writes (the page reads are left out)."""
    events = AuditEvent.objects.filter(beneficiary_id=beneficiary.pk).exclude(verb=AuditVerb.FILE_OPENED)
    return set(events.values_list("target_type", "verb"))


ASPIRATION = {"domain": "employment", "kind": "aspiration", "text": "Work in a care home"}
HEALTH = {"domain": "health", "kind": "obstacle", "text": "Back pain when lifting"}


def test_creates_an_assessment_with_items_and_audits_each_write(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a)
    url = reverse("cases:assessment_create", args=[beneficiary.pk])
    response = login(worker_a).post(url, _data(worker_a, ASPIRATION))
    assert response.status_code == 302 and response.url.endswith("#next-step")  # the file's next step
    assessment = NeedsAssessment.objects.get(beneficiary=beneficiary)
    assert assessment.author == worker_a.user and assessment.assessed_on == datetime.date(2026, 1, 20)
    item = assessment.items.get()
    assert (item.domain, item.kind, item.cpas_id) == ("employment", "aspiration", cpas_a.pk)
    audited = _written(beneficiary)
    assert audited == {
        ("cases.needsassessment", AuditVerb.NEEDS_ASSESSMENT_RECORDED),
        ("cases.assessmentitem", AuditVerb.NEEDS_ASSESSMENT_RECORDED),
    }


def test_the_persons_own_words_are_mandatory_and_the_rest_is_kept(cpas_a, worker_a, login):
    """S-Pers 3: non-empty text (a configurable minimum length is not implemented)."""
    beneficiary = make_beneficiary(cpas_a)
    url = reverse("cases:assessment_create", args=[beneficiary.pk])
    response = login(worker_a).post(url, _data(worker_a, ASPIRATION, own_words="   "))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["own_words"]
    assert "Work in a care home" in response.content.decode()
    assert not NeedsAssessment.objects.exists()


@pytest.mark.parametrize(
    ("extra", "fields"),
    [
        ({}, {"justification", "consent_given"}),
        ({"justification": "Affects which jobs are realistic"}, {"consent_given"}),
        ({"consent_given": "on"}, {"justification"}),
    ],
)
def test_a_sensitive_domain_needs_a_justification_and_explicit_consent(cpas_a, worker_a, login, extra, fields):
    """S-Dom 16: health, family, relationships, addiction."""
    beneficiary = make_beneficiary(cpas_a)
    url = reverse("cases:assessment_create", args=[beneficiary.pk])
    response = login(worker_a).post(url, _data(worker_a, ASPIRATION, {**HEALTH, **extra}))
    assert response.status_code == 200
    formset = response.context["formset"]
    assert set(formset.forms[1].errors) == fields and not formset.forms[0].errors
    body = response.content.decode()
    assert "Back pain when lifting" in body and "Je veux devenir aide-soignante." in body
    assert not NeedsAssessment.objects.exists() and not AssessmentItem.objects.exists()


def test_the_service_refuses_a_sensitive_item_without_consent(cpas_a, worker_a):
    beneficiary = make_beneficiary(cpas_a)
    assessment = NeedsAssessment(assessed_on=datetime.date(2026, 1, 20), own_words="Je veux un logement.")
    item = AssessmentItem(domain="addiction", kind="obstacle", text="…", justification="Needed for the housing plan")
    with pytest.raises(ValidationError) as error:
        needs_assessment_save(membership=worker_a, beneficiary=beneficiary, assessment=assessment, items=[item])
    assert "consent_given" in error.value.message_dict
    assert not NeedsAssessment.objects.filter(beneficiary=beneficiary).exists()  # the whole save rolled back


def test_sensitive_items_are_recorded_with_consent_and_marked_confidential_on_the_file(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a)
    client = login(worker_a)
    health = {**HEALTH, "justification": "Affects which jobs are realistic", "consent_given": "on"}
    client.post(reverse("cases:assessment_create", args=[beneficiary.pk]), _data(worker_a, health, ASPIRATION))
    response = client.get(reverse("cases:detail", args=[beneficiary.pk]))
    [view] = response.context["assessments"]
    assert [(g.domain, g.sensitive) for g in view.domains] == [("employment", False), ("health", True)]
    body = response.content.decode()
    assert "Confidential — not printed in the contract" in body
    assert body.index("Work in a care home") < body.index("Back pain when lifting")
    assert "Je veux devenir aide-soignante." in body and "In the person's own words" in body


def test_edits_an_assessment_adds_and_removes_items(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a)
    assessment = make_assessment(cpas_a, beneficiary=beneficiary, author=worker_a.user)
    kept = make_assessment_item(cpas_a, assessment=assessment, text="Keep me")
    gone = make_assessment_item(cpas_a, assessment=assessment, domain="debt", kind="need", text="Remove me")
    data = _data(worker_a, own_words="Changed words")
    data.update(_management(3, initial=2))
    for i, item in enumerate([kept, gone]):
        data.update(
            {
                f"items-{i}-id": str(item.pk),
                f"items-{i}-assessment": str(assessment.pk),
                f"items-{i}-domain": item.domain,
                f"items-{i}-kind": item.kind,
                f"items-{i}-text": item.text,
            }
        )
    data["items-1-DELETE"] = "on"
    data.update({"items-2-domain": "housing", "items-2-kind": "strength", "items-2-text": "Stable flat"})
    url = reverse("cases:assessment_edit", args=[beneficiary.pk, assessment.pk])
    assert login(worker_a).post(url, data).status_code == 302
    assessment.refresh_from_db()
    assert assessment.own_words == "Changed words"
    assert sorted(assessment.items.values_list("text", flat=True)) == ["Keep me", "Stable flat"]
    events = _written(beneficiary)
    assert events == {
        ("cases.needsassessment", AuditVerb.NEEDS_ASSESSMENT_UPDATED),  # the own words changed
        ("cases.assessmentitem", AuditVerb.NEEDS_ASSESSMENT_UPDATED),  # one item removed, one added
    }
    assert AuditEvent.objects.filter(target_type="cases.assessmentitem").count() == 2


def test_an_item_cited_by_a_contract_objective_cannot_be_removed(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a)
    assessment = make_assessment(cpas_a, beneficiary=beneficiary, author=worker_a.user)
    item = make_assessment_item(cpas_a, assessment=assessment)
    contract = make_contract(cpas_a, beneficiary=beneficiary, assessment=assessment)
    make_objective(cpas_a, contract=contract).assessment_items.add(item)
    data = _data(worker_a)
    data.update(_management(1, initial=1))
    data.update(
        {
            "items-0-id": str(item.pk),
            "items-0-assessment": str(assessment.pk),
            "items-0-domain": item.domain,
            "items-0-kind": item.kind,
            "items-0-text": item.text,
            "items-0-DELETE": "on",
        }
    )
    response = login(worker_a).post(reverse("cases:assessment_edit", args=[beneficiary.pk, assessment.pk]), data)
    assert response.status_code == 200 and response.context["formset"].non_form_errors()
    assert AssessmentItem.objects.filter(pk=item.pk).exists()


def test_an_assessment_of_another_file_is_not_found_through_this_file(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a)
    other = make_assessment(cpas_a)
    url = reverse("cases:assessment_edit", args=[beneficiary.pk, other.pk])
    assert login(worker_a).get(url).status_code == 404
