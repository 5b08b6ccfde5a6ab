"""Evaluations (R43–R48): recording them, and the compliance per contract year on the contract and file pages."""

import pytest
from django.apps import apps
from django.template.loader import render_to_string
from django.urls import reverse

from piis.accounts.enums import Role
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.core.errors import ServiceError
from piis.followup.models import CommitmentReview, Evaluation, ObjectiveProgress
from piis.followup.selectors import contract_compliance, followup_context_for_contract, followup_context_for_file
from piis.followup.services import DeliveryEntry, ProgressEntry, evaluation_save
from tests.factories import make_clause, make_member, make_objective, make_third_party
from tests.followup.builders import D, at, make_evaluation, make_in_force_contract

pytestmark = pytest.mark.django_db


def _evaluations(cpas, contract, *held):
    for held_on, mode in held:
        make_evaluation(cpas, contract=contract, held_on=held_on, mode=mode)


def _contract_page(login, membership, contract, today):
    """The contract page itself (the contract view merges followup_context_for_contract into its context)."""
    with at(today):
        response = login(membership).get(reverse("contracts:detail", args=[contract.pk]))
    assert response.status_code == 200
    return response


class _Section:
    """The follow-up section of the contract page, rendered with the context the contract view merges in."""

    def __init__(self, membership, contract, today):
        self.context = followup_context_for_contract(membership=membership, contract=contract, today=today)
        html = render_to_string("followup/_contract_section.html", {**self.context, "contract": contract})
        self.content = html.encode()


def _member_of(contract):
    from piis.accounts.models import Membership

    return Membership.objects.get(user=contract.social_worker, cpas=contract.cpas)


# --- scenarios ------------------------------------------------------------------------------------------------


@pytest.mark.scenario("T21", rules=("R43", "R46", "R47"))
def test_t21_one_in_person_evaluation_is_at_risk_then_non_compliant_in_person(cpas_a):
    contract = make_in_force_contract(cpas_a, signed_on=D(2026, 1, 15))
    _evaluations(cpas_a, contract, (D(2026, 3, 10), "office"), (D(2026, 6, 20), "phone"), (D(2026, 10, 5), "phone"))
    member = _member_of(contract)

    response = _Section(member, contract, D(2026, 12, 1))
    year = response.context["followup_years"][0]
    assert (year.year.start, year.year.end) == (D(2026, 1, 15), D(2027, 1, 14))
    assert (year.year.count, year.year.in_person, year.status) == (3, 1, "at_risk")
    assert year.year.missing_in_person == 1
    html = response.content.decode()
    assert "At risk" in html and "1 more evaluation in person" in html and "14/01/2027" in html

    response = _Section(member, contract, D(2027, 1, 15))
    years = response.context["followup_years"]
    assert years[0].status == "non_compliant_in_person"
    assert "Not compliant: too few in person" in response.content.decode()


@pytest.mark.scenario("T22", rules=("R43",))
def test_t22_three_evaluations_two_in_person_make_year_one_compliant(cpas_a):
    contract = make_in_force_contract(cpas_a, signed_on=D(2026, 1, 15))
    _evaluations(
        cpas_a, contract, (D(2026, 3, 10), "office"), (D(2026, 7, 1), "home_visit"), (D(2026, 11, 20), "office")
    )
    response = _Section(_member_of(contract), contract, D(2026, 12, 1))
    assert response.context["followup_years"][0].status == "compliant"
    assert "Compliant" in response.content.decode()
    assert response.context["followup_current_year"].missing_text == ""


@pytest.mark.scenario("T23", rules=("R43",))
def test_t23_two_in_person_evaluations_are_non_compliant_count(cpas_a):
    contract = make_in_force_contract(cpas_a, signed_on=D(2026, 1, 15))
    _evaluations(cpas_a, contract, (D(2026, 3, 10), "office"), (D(2026, 7, 1), "home_visit"))
    years = contract_compliance(contract=contract, evaluations=contract.evaluations.all(), today=D(2027, 1, 15))
    assert years[0].status == "non_compliant_count"
    assert years[0].status_label == "Not compliant: too few evaluations"


@pytest.mark.scenario("T25", rules=("R47",))
def test_t25_video_call_counts_as_an_evaluation_not_as_in_person(cpas_a):
    contract = make_in_force_contract(cpas_a, signed_on=D(2026, 1, 15))
    _evaluations(cpas_a, contract, (D(2026, 3, 10), "office"), (D(2026, 6, 1), "video"), (D(2026, 9, 1), "office"))
    context = followup_context_for_contract(membership=_member_of(contract), contract=contract, today=D(2026, 9, 2))
    year = context["followup_current_year"]
    assert (year.year.count, year.year.in_person, year.status) == (3, 2, "compliant")
    _evaluations(cpas_a, contract, (D(2026, 9, 2), "video"))
    other = make_in_force_contract(cpas_a, signed_on=D(2026, 1, 15))
    _evaluations(cpas_a, other, (D(2026, 3, 10), "office"), (D(2026, 6, 1), "video"), (D(2026, 9, 1), "video"))
    year = contract_compliance(contract=other, evaluations=other.evaluations.all(), today=D(2026, 9, 2))[0]
    assert (year.year.count, year.year.in_person, year.status) == (3, 1, "in_progress")


# --- recording ------------------------------------------------------------------------------------------------


def test_recording_an_evaluation_changes_compliance_on_the_contract_page(cpas_a, login):
    contract = make_in_force_contract(cpas_a, signed_on=D(2026, 1, 15))
    _evaluations(cpas_a, contract, (D(2026, 3, 10), "office"), (D(2026, 6, 20), "phone"), (D(2026, 10, 5), "phone"))
    member = _member_of(contract)
    objective = make_objective(cpas_a, contract=contract)
    cpas_clause = make_clause(cpas_a, contract=contract, party="cpas", proposed_by="cpas", kind="cost_coverage")
    partner = make_third_party(cpas_a, contract=contract)
    partner_clause = make_clause(
        cpas_a, contract=contract, party="third_party", third_party=partner, proposed_by="cpas", kind="training"
    )
    beneficiary_clause = make_clause(cpas_a, contract=contract)
    with at(D(2026, 12, 1)):
        client = login(member)
        form = client.get(reverse("followup:evaluation_add", args=[contract.pk]))
        assert f"delivery_{cpas_clause.pk}" in form.content.decode()
        assert f"delivery_{beneficiary_clause.pk}" not in form.content.decode()  # the person's own are not reviewed
        response = client.post(
            reverse("followup:evaluation_add", args=[contract.pk]),
            {
                "held_on": "2026-11-30",
                "mode": "home_visit",
                "beneficiary_present": "on",
                "assistant_present": "Ines Helper",
                "third_parties": [partner.pk],
                "other_participants": "Interprète",
                f"progress_{objective.pk}": "in_progress",
                f"progress_note_{objective.pk}": "Inscrite",
                f"delivery_{cpas_clause.pk}": "delivered",
                f"delivery_{partner_clause.pk}": "not_delivered",
                f"delivery_note_{partner_clause.pk}": "Session reportée",
                "difficulties": "Garde d'enfants difficile",
                "adjustments": "Reporter la formation",
                "beneficiary_comment": "Je veux continuer",
            },
        )
    assert response.status_code == 302, response.context["form"].errors
    evaluation = Evaluation.objects.get(contract=contract, held_on=D(2026, 11, 30))
    assert evaluation.recorded_by == member.user
    assert list(evaluation.third_parties.all()) == [partner]
    assert ObjectiveProgress.objects.get(evaluation=evaluation).progress == "in_progress"
    assert dict(CommitmentReview.objects.filter(evaluation=evaluation).values_list("clause_id", "delivery")) == {
        cpas_clause.pk: "delivered",
        partner_clause.pk: "not_delivered",
    }
    written = AuditEvent.objects.filter(beneficiary_id=contract.beneficiary_id, target_type__startswith="followup.")
    assert set(written.values_list("target_type", "verb")) == {
        ("followup.evaluation", AuditVerb.EVALUATION_RECORDED),  # the evaluation and the third party present
        ("followup.objectiveprogress", AuditVerb.EVALUATION_RECORDED),
        ("followup.commitmentreview", AuditVerb.EVALUATION_RECORDED),
    }
    page = _contract_page(login, member, contract, D(2026, 12, 1))
    assert page.context["followup_current_year"].status == "compliant"
    assert "Go to the amendment" in page.content.decode()  # agreed adjustments may start an amendment


def test_recording_a_difficulty_creates_no_other_object(cpas_a):
    """S-Dec 12: evaluations and breaches are separate; a difficulty never creates a breach or anything else."""
    contract = make_in_force_contract(cpas_a)
    member = _member_of(contract)
    counts = {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label != "audit"}
    evaluation = Evaluation(held_on=D(2026, 3, 10), mode="office", difficulties="Absent à la formation trois fois")
    evaluation_save(membership=member, contract=contract, evaluation=evaluation, today=D(2026, 3, 11))
    after = {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label != "audit"}
    changed = {label for label in after if after[label] != counts[label]}
    assert changed == {"followup.Evaluation"}


def test_progress_and_deliveries_are_updated_and_cleared_on_edit(cpas_a):
    contract = make_in_force_contract(cpas_a)
    member = _member_of(contract)
    objective = make_objective(cpas_a, contract=contract)
    clause = make_clause(cpas_a, contract=contract, party="cpas", proposed_by="cpas", kind="cost_coverage")
    evaluation = evaluation_save(
        membership=member,
        contract=contract,
        evaluation=Evaluation(held_on=D(2026, 3, 10), mode="office"),
        progress=[ProgressEntry(objective, "not_started")],
        deliveries=[DeliveryEntry(clause, "delivered")],
        today=D(2026, 3, 11),
    )
    evaluation_save(
        membership=member,
        contract=contract,
        evaluation=evaluation,
        progress=[ProgressEntry(objective, "reached", "Fini")],
        deliveries=[DeliveryEntry(clause, "")],
        today=D(2026, 3, 11),
    )
    assert list(evaluation.progress.values_list("progress", "note")) == [("reached", "Fini")]
    assert not evaluation.commitments.exists()
    corrected = AuditEvent.objects.filter(verb=AuditVerb.EVALUATION_CORRECTED).values_list("target_type", flat=True)
    assert sorted(corrected) == ["followup.commitmentreview", "followup.objectiveprogress"]  # changed, cleared


@pytest.mark.parametrize(
    ("held_on", "message"),
    [
        (D(2026, 1, 10), "before the contract was concluded"),
        (D(2026, 4, 1), "in the future"),
    ],
)
def test_refuses_an_evaluation_outside_the_contract_or_in_the_future(cpas_a, login, held_on, message):
    contract = make_in_force_contract(cpas_a, signed_on=D(2026, 1, 15))
    with at(D(2026, 3, 15)):
        response = login(_member_of(contract)).post(
            reverse("followup:evaluation_add", args=[contract.pk]),
            {"held_on": held_on.isoformat(), "mode": "office", "difficulties": "Texte gardé"},
        )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["held_on"])
    assert "Texte gardé" in response.content.decode()  # what was typed is kept
    assert not Evaluation.objects.exists()


def test_refuses_an_evaluation_on_a_contract_not_in_force(cpas_a):
    contract = make_in_force_contract(cpas_a, status="draft", signed_on=None)
    with pytest.raises(ServiceError):
        evaluation_save(
            membership=_member_of(contract),
            contract=contract,
            evaluation=Evaluation(held_on=D(2026, 3, 10), mode="office"),
            today=D(2026, 3, 11),
        )


def test_printable_evaluation_shows_the_person_comment(cpas_a, login):
    evaluation = make_evaluation(cpas_a, beneficiary_comment="Je suis d'accord avec le plan.")
    with at(D(2026, 3, 15)):
        response = login(_member_of(evaluation.contract)).get(
            reverse("followup:evaluation_print", args=[evaluation.pk])
        )
    assert response.status_code == 200
    assert "Je suis d&#x27;accord avec le plan." in response.content.decode()


def test_contract_page_without_signature_shows_no_evaluations(cpas_a):
    contract = make_in_force_contract(cpas_a, status="draft", signed_on=None)
    context = followup_context_for_contract(membership=_member_of(contract), contract=contract, today=D(2026, 3, 1))
    assert context["followup_applies"] is False and context["followup_years"] == []


def test_a_director_sees_compliance_but_cannot_record(cpas_a, login):
    contract = make_in_force_contract(cpas_a)
    director = make_member(cpas_a, Role.DIRECTOR)
    section = _Section(director, contract, D(2026, 3, 1))
    assert section.context["followup_can_record"] is False
    assert "Record an evaluation" not in section.content.decode()
    with at(D(2026, 3, 1)):
        assert login(director).get(reverse("followup:evaluation_add", args=[contract.pk])).status_code == 403


# --- file page section ------------------------------------------------------------------------------------------


def test_file_section_shows_current_year_and_what_is_missing(cpas_a):
    from django.template.loader import render_to_string

    contract = make_in_force_contract(cpas_a, signed_on=D(2026, 1, 15))
    _evaluations(cpas_a, contract, (D(2026, 3, 10), "office"), (D(2026, 6, 20), "phone"), (D(2026, 10, 5), "phone"))
    member = _member_of(contract)
    context = followup_context_for_file(membership=member, beneficiary=contract.beneficiary, today=D(2026, 12, 1))
    summary = context["followup_contracts"][0]
    assert summary.current.status == "at_risk"
    html = render_to_string("followup/_file_section.html", {**context, "beneficiary": contract.beneficiary})
    assert "At risk" in html and "1 more evaluation in person by 14/01/2027" in html


@pytest.mark.scenario("T24", rules=("R44",))
def test_t24_years_before_the_2016_reform_are_judged_quarterly(cpas_a):
    contract = make_in_force_contract(cpas_a, signed_on=D(2015, 3, 1))
    for held_on in (D(2015, 4, 1), D(2015, 7, 1), D(2015, 10, 1), D(2016, 1, 15)):
        make_evaluation(cpas_a, contract=contract, held_on=held_on, mode="phone")
    years = contract_compliance(contract=contract, evaluations=contract.evaluations.all(), today=D(2017, 3, 2))
    assert [(y.year.rule, y.status) for y in years] == [
        ("quarterly", "compliant"),
        ("quarterly", "non_compliant_count"),  # it starts before 2016-11-01, so the old rule governs it (A5)
        ("three_two", "in_progress"),
    ]
    assert years[0].rule_label == "Former rule: one per quarter"
