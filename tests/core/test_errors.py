"""One error vocabulary: ServiceError, the catalogue from code to translated message, and add_error_to_form."""

import ast
import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django import forms
from django.urls import reverse
from django.utils import translation

from piis.core.error_catalogue import CATALOGUE, GENERIC_MESSAGE
from piis.core.errors import ServiceError, add_error_to_form, error_message
from piis.rules import InvalidInput, RuleViolation, check_signature, check_study_piis, param_int
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.contracts.test_lifecycle import hand_over, inform, matrix  # noqa: F401

D = datetime.date
PIIS = Path(__file__).resolve().parents[2] / "piis"
RULE_ERRORS = {"RuleViolation", "InvalidInput"}


def _calls(root: Path, names: set[str]):
    """Every call `Name(...)` / `x.Name(...)` with one of `names` in the Python files under `root`."""
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if name in names:
                    yield path, node


def _rules_core_errors() -> list[tuple[str, ast.Call]]:
    errors = []
    for path, call in _calls(PIIS / "rules", RULE_ERRORS):
        code = call.args[0] if call.args else None
        # A code built at run time could not be checked against the catalogue: the core only raises literal codes.
        assert isinstance(code, ast.Constant) and isinstance(code.value, str), f"{path}:{call.lineno}"
        errors.append((code.value, call))
    return errors


def _msgids() -> dict[str, str]:
    with translation.override(None):  # the English source strings, as written in the catalogue
        return {code: str(message) for code, message in CATALOGUE.items()}


# --- the catalogue --------------------------------------------------------------------------------------------------


def test_every_code_the_rules_core_can_raise_has_a_message():
    codes = {code for code, _call in _rules_core_errors()}
    assert len(codes) >= 30  # the scan found the core's codes, it did not pass on an empty set
    assert codes - set(CATALOGUE) == set()
    assert {"DATES_OUT_OF_ORDER", "UNKNOWN_GROUND", "EQUITY_ASSESSMENT_MISSING"} <= codes


def test_every_code_the_app_raises_has_a_message():
    codes = set()
    for _path, call in _calls(PIIS, {"ServiceError", "error_message"}):
        if call.args and isinstance(call.args[0], ast.Constant):
            codes.add(call.args[0].value)
    assert {"NOT_EDITABLE", "DRAFTING_PROBLEMS", "EVALUATION_IN_FUTURE"} <= codes
    assert codes - set(CATALOGUE) == set()


def test_no_message_holds_a_number_a_rule_id_a_code_or_the_rules_core_english_text():
    english = {
        arg.value for _code, call in _rules_core_errors() for arg in call.args[1:] if isinstance(arg, ast.Constant)
    }
    assert "A needs assessment made before the draft is required." in english
    for code, msgid in _msgids().items():
        assert not re.search(r"\d", msgid), f"{code}: a figure belongs in a %(param)s, not in the text"
        assert not re.search(r"\b(R|A|O|P|T|S-[A-Za-z]+)\s?\d", msgid), code
        assert not re.search(r"\b[A-Z]+_[A-Z_]+\b", msgid), code
        assert msgid not in english, code  # a text of our own, translated, not the core's English
    assert not re.search(r"\d", str(GENERIC_MESSAGE))


def test_each_message_names_only_the_figures_it_is_given():
    for code, msgid in _msgids().items():
        names = re.findall(r"%\((\w+)\)s", msgid)
        assert "%" not in re.sub(r"%\(\w+\)s", "", msgid), code  # no positional or stray % sign
        assert error_message(code, dict.fromkeys(names, "X")) != str(GENERIC_MESSAGE), code


# --- error_message and ServiceError ---------------------------------------------------------------------------------


def test_error_message_fills_the_figures_and_formats_dates_in_the_active_language():
    with translation.override("en"):
        assert error_message("REFLECTION_PERIOD", {"earliest": D(2026, 3, 8)}) == (
            "The reflection period is not over: the person may sign from 08/03/2026. Choose that date or a later one."
        )
    with translation.override("fr"):
        message = error_message("REFLECTION_PERIOD", {"earliest": D(2026, 3, 8)})
    assert message.startswith("Le délai de réflexion n'est pas terminé")


def test_an_unknown_code_or_missing_figures_give_the_generic_message_never_the_code():
    with translation.override("en"):
        assert error_message("NO_SUCH_CODE") == "This step is not possible now."
        assert error_message("REFLECTION_PERIOD") == "This step is not possible now."
        assert ServiceError("NO_SUCH_CODE").message == "This step is not possible now."


def test_from_rule_keeps_the_code_and_rule_id_and_shows_neither():
    with pytest.raises(RuleViolation) as violation:
        check_signature(final_draft_handed_over=D(2026, 3, 2), signed_on=D(2026, 3, 5), ri_decision_date=D(2026, 3, 1))
    error = ServiceError.from_rule(violation.value, field="signed_on", params={"earliest": D(2026, 3, 8)})
    assert (error.code, error.rule, error.field) == ("REFLECTION_PERIOD", "R39", "signed_on")
    with translation.override("en"):
        assert "R39" not in error.message and violation.value.message not in error.message
        assert "08/03/2026" in error.message


def test_from_rule_on_invalid_input_has_no_rule_id():
    with pytest.raises(InvalidInput) as invalid:
        check_study_piis(birth_date=D(2000, 1, 1), on=D(1999, 1, 1), equity_assessment_decided=False)
    error = ServiceError.from_rule(invalid.value)
    assert (error.code, error.rule, error.field, error.params) == ("DATES_OUT_OF_ORDER", "", None, {})


def test_the_age_limit_of_a_study_piis_comes_from_the_parameter_table():
    on = D(2026, 3, 1)
    with pytest.raises(RuleViolation) as violation:
        check_study_piis(birth_date=D(1990, 1, 1), on=on, equity_assessment_decided=False)
    age = param_int("under_25_age_limit", on=on)
    error = ServiceError.from_rule(violation.value, field="orientations", params={"age": age})
    with translation.override("en"):
        assert f"aged {age} or more" in error.message and "R22" not in error.message


# --- add_error_to_form ----------------------------------------------------------------------------------------------


class _Form(forms.Form):
    signed_on = forms.DateField()
    may_sanction = forms.BooleanField(required=False)
    note = forms.CharField()


def _bound_form():
    form = _Form({"signed_on": "2026-03-05", "note": "Typed by the user"})
    assert form.is_valid()
    return form


def test_a_field_error_goes_on_its_field_and_the_form_keeps_what_was_typed():
    form = _bound_form()
    with translation.override("en"):
        add_error_to_form(form, ServiceError("SIGNATURE_IN_FUTURE", field="signed_on"))
    assert form.errors == {"signed_on": ["The signature cannot be dated in the future."]}
    assert form["note"].value() == "Typed by the user" and form["signed_on"].value() == "2026-03-05"


def test_an_error_without_field_or_on_a_field_the_form_lacks_goes_on_the_whole_form():
    for field in (None, "rights"):
        form = _bound_form()
        with translation.override("en"):
            add_error_to_form(form, ServiceError("VERSION_CLOSED", field=field))
        assert form.non_field_errors() == ["This version is no longer open for information or signatures."]
        assert set(form.errors) == {"__all__"}


def test_a_service_field_name_can_be_aliased_to_the_forms_name():
    form = _bound_form()
    error = ServiceError("COMMITMENT_OF_ANOTHER_PARTY", field="sanctionable")
    add_error_to_form(form, error, aliases={"sanctionable": "may_sanction"})
    assert set(form.errors) == {"may_sanction"}


# --- through a view -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@time_machine.travel("2026-03-06 10:00")
def test_a_refused_signature_shows_the_translated_message_and_keeps_what_was_typed(
    cpas_a,
    worker_a,
    client,
    matrix,  # noqa: F811
):
    contract = drafted_contract(cpas_a)
    version = hand_over(worker_a, contract, D(2026, 3, 2))
    inform(worker_a, version, D(2026, 3, 2))
    client.force_login(worker_a.user)
    session = client.session
    session["current_cpas_id"] = cpas_a.pk
    session.save()
    response = client.post(
        reverse("contracts:sign", args=[contract.pk, version.pk]),
        {"signer": "beneficiary", "signed_on": "2026-03-06", "method": "paper", "signer_name": "Alex M."},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["signed_on"]
    assert message.startswith("Le délai de réflexion n'est pas terminé") and "REFLECTION_PERIOD" not in message
    assert "R39" not in message
    assert response.context["form"]["signer_name"].value() == "Alex M."
    assert not version.signatures.exists()
