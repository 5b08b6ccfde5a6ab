"""The audit trail as the data-protection officer reads it: the kind of object and the changed fields named in the
active language, choices by their label, yes/no, "—" for nothing; identifiers only where the model has no name."""

import pytest
from django.urls import reverse

from piis.accounts.enums import Role
from piis.audit.enums import AuditVerb
from piis.audit.services import record
from tests.factories import make_contract, make_member

pytestmark = pytest.mark.django_db


def _trail(cpas, login, settings, language) -> str:
    client = login(make_member(cpas, Role.DPO))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("audit:list")).content.decode()
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


@pytest.mark.parametrize(
    ("language", "kind", "field", "values"),
    [
        ("fr", "Contrat PIIS", "Statut", "Projet → Remis (délai de réflexion)"),
        ("nl", "GPMI-contract", "Status", "Ontwerp → Overhandigd (bedenktijd)"),
    ],
)
def test_changes_are_named_and_valued_in_the_active_language(cpas_a, login, settings, language, kind, field, values):
    contract = make_contract(cpas_a)
    record(
        actor=None,
        cpas=cpas_a,
        verb=AuditVerb.CONTRACT_HANDED_OVER,
        target=contract,
        changes={
            "status": ["draft", "handed_over"],
            "late_motivation": [None, ""],
            "editing_amendment": [False, True],
        },
        context="/contracts/1/",
    )
    rows = _trail(cpas_a, login, settings, language)
    assert f'<span data-type="contracts.contract">{kind}</span>' in rows
    status = rows.split('data-field="status"', 1)[1].split("</div>", 1)[0]
    assert field in status and values in status and "draft" not in status
    assert "—" in rows.split('data-field="late_motivation"', 1)[1].split("</div>", 1)[0]
    assert "None" not in rows and "False" not in rows
    assert "<code>/contracts/1/</code>" in rows


def test_what_is_not_a_field_of_the_object_is_shown_as_stored(cpas_a, login, settings):
    record(
        actor=None,
        cpas=cpas_a,
        verb=AuditVerb.AUDIT_EXPORTED,
        target_type="audit.auditevent",
        changes={"rows": 12},
        context="/audit/export.csv",
    )
    rows = _trail(cpas_a, login, settings, "fr")
    assert "<code>rows</code>" in rows and ": 12" in " ".join(rows.split())
