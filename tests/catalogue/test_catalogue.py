"""The catalogue of services and partners and the target groups: kept by the CPAS administrator (audited, stale
saves refused), read by the staff, a file put in a group, and the annual report's counts per group."""

import datetime

import pytest
from django.urls import reverse

from piis.accounts.enums import Role
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.catalogue.models import CatalogueEntry, TargetGroup
from piis.catalogue.selectors import partner_entries, target_group_counts
from tests.catalogue.builders import make_catalogue_entry, make_target_group
from tests.factories import make_beneficiary, make_contract, make_member

D = datetime.date


@pytest.mark.django_db
def test_the_admin_adds_a_partner_and_it_is_audited(cpas_a, login):
    client = login(make_member(cpas_a, Role.CPAS_ADMIN))
    data = {"kind": "employment", "name": "FOREM Charleroi", "contact": "071 20 60 00", "languages": ["fr", "de"],
            "capacity": "30", "active": "on", "description": "Inscription, orientation, formations."}  # fmt: skip
    response = client.post(reverse("catalogue:entry_add"), data)
    assert response.status_code == 302
    entry = CatalogueEntry.objects.get()
    assert (entry.cpas, entry.languages, entry.capacity, entry.is_partner) == (cpas_a, ["de", "fr"], 30, True)
    assert AuditEvent.objects.filter(verb=AuditVerb.CPAS_CATALOGUE_ENTRY_ADDED, cpas=cpas_a).count() == 1
    assert list(partner_entries(cpas_a)) == [entry]


@pytest.mark.django_db
def test_a_name_already_in_the_catalogue_is_refused_with_the_typed_values_kept(cpas_a, login):
    make_catalogue_entry(cpas_a, name="Actiris")
    client = login(make_member(cpas_a, Role.CPAS_ADMIN))
    response = client.post(reverse("catalogue:entry_add"), {"kind": "employment", "name": " actiris ",
                                                             "contact": "Rue Avenue 1"})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "already in the catalogue" in page or "déjà" in page
    assert "Rue Avenue 1" in page
    assert CatalogueEntry.objects.count() == 1


@pytest.mark.django_db
def test_the_admin_changes_a_target_group(cpas_a, login):
    group = make_target_group(cpas_a)
    client = login(make_member(cpas_a, Role.CPAS_ADMIN))
    url = reverse("catalogue:group_edit", args=[group.pk])
    assert client.get(url).status_code == 200
    data = {"name": "Plus de 25 ans sans emploi", "basis": "over_25", "criteria": "Plus de 25 ans, RI depuis un an.",
            "policy": "PIIS proposé après un entretien d'orientation."}  # fmt: skip
    assert client.post(url, data).status_code == 302
    group.refresh_from_db()
    assert (group.basis, group.active) == ("over_25", False)
    assert AuditEvent.objects.filter(verb=AuditVerb.CPAS_TARGET_GROUP_CHANGED).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "list_status", "add_status"),
    [(Role.CPAS_ADMIN, 200, 200), (Role.SOCIAL_WORKER, 200, 403), (Role.DIRECTOR, 200, 403), (Role.DPO, 403, 403)],
)
def test_workers_read_the_catalogue_only_the_admin_keeps_it(cpas_a, login, role, list_status, add_status):
    client = login(make_member(cpas_a, role))
    assert client.get(reverse("catalogue:list")).status_code == list_status
    assert client.get(reverse("catalogue:entry_add")).status_code == add_status
    assert client.get(reverse("catalogue:group_add")).status_code == add_status


@pytest.mark.django_db
def test_the_list_shows_the_other_cpas_nothing(cpas_a, cpas_b, login):
    make_catalogue_entry(cpas_b, name="VDAB Gent")
    make_catalogue_entry(cpas_a, name="Atelier budget", kind="budget")
    page = login(make_member(cpas_a)).get(reverse("catalogue:list")).content.decode()
    assert "Atelier budget" in page and "VDAB Gent" not in page


@pytest.mark.django_db
def test_the_list_reads_a_fixed_number_of_queries(cpas_a, login, django_assert_max_num_queries):
    client = login(make_member(cpas_a, Role.CPAS_ADMIN))
    for n in range(3):
        make_catalogue_entry(cpas_a, name=f"Partenaire {n}")
        make_target_group(cpas_a, name=f"Groupe {n}")
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("catalogue:list"))
    for n in range(20):
        make_catalogue_entry(cpas_a, name=f"Service {n}", kind="workshop")
        make_target_group(cpas_a, name=f"Autre groupe {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("catalogue:list"))


@pytest.mark.django_db
def test_a_file_is_put_in_a_target_group_from_its_edit_form(cpas_a, login):
    group = make_target_group(cpas_a)
    worker = make_member(cpas_a)
    person = make_beneficiary(cpas_a, social_worker=worker.user)
    form = login(worker).get(reverse("cases:edit", args=[person.pk])).context["form"]
    assert list(form.fields["target_group"].queryset) == [group]
    make_target_group(cpas_a, name="Ancien groupe", active=False)
    assert list(form.fields["target_group"].queryset) == [group]


@pytest.mark.django_db
def test_target_group_counts_counts_files_and_piis_in_force_during_the_period(cpas_a, cpas_b):
    homeless = make_target_group(cpas_a, name="Sans-abri")
    newcomers = make_target_group(cpas_a, name="Primo-arrivants", basis="newcomers")
    make_target_group(cpas_b, name="Elsewhere")
    in_force = make_contract(cpas_a, status="in_force", signed_on=D(2026, 3, 1))
    ended_before = make_contract(cpas_a, status="ended", signed_on=D(2025, 1, 1), ended_on=D(2025, 12, 31))
    for contract in (in_force, ended_before):
        contract.beneficiary.target_group = homeless
        contract.beneficiary.save()
    make_beneficiary(cpas_a, target_group=homeless)  # no PIIS: followed in the group, optional PIIS not taken
    make_beneficiary(cpas_a, target_group=newcomers)
    counts = {c.name: (c.files, c.with_piis) for c in target_group_counts(cpas_a, D(2026, 1, 1), D(2026, 12, 31))}
    assert counts == {"Primo-arrivants": (1, 0), "Sans-abri": (3, 1)}
    assert TargetGroup.objects.count() == 3


@pytest.mark.django_db
def test_the_file_page_shows_the_group_and_the_cpas_policy(cpas_a, login):
    group = make_target_group(cpas_a, name="Primo-arrivants", policy="Un PIIS intégré avec cours de français.")
    worker = make_member(cpas_a)
    person = make_beneficiary(cpas_a, social_worker=worker.user, target_group=group)
    other = make_beneficiary(cpas_a, social_worker=worker.user)
    client = login(worker)
    page = client.get(reverse("cases:detail", args=[person.pk])).content.decode()
    assert "Primo-arrivants" in page and "Un PIIS intégré avec cours de français." in page
    page = client.get(reverse("cases:detail", args=[other.pk])).content.decode()
    assert "Primo-arrivants" not in page
