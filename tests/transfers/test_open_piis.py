"""The open PIIS format: the schema is valid, an export follows it, export → import → export is identical and the
imported PIIS shows the same PDF; a bad or hostile package is refused whole."""

import base64
import copy
import datetime
import json

import jsonschema
import pytest

from piis.accounts.enums import Role
from piis.contracts.pdf import render_contract_pdf
from piis.core.errors import ServiceError, error_message
from piis.transfers import services
from piis.transfers.enums import Answer
from piis.transfers.models import IncomingTransfer, TakeoverReview
from piis.transfers.openpiis import dump, pdf_bytes, read_package, schema
from piis.transfers.package import version_to_send
from tests.factories import make_cpas, make_member
from tests.transfers.builders import FAKE_PDF, MOVED, make_piis_in_force

D = datetime.date
pytestmark = pytest.mark.django_db


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(schema())


def _sent_elsewhere(cpas_a, elsewhere, *, pdf=FAKE_PDF):
    """A transfer to a CPAS of another deployment (named by NIS code), answered and sent: its package."""
    contract = make_piis_in_force(cpas_a)
    old = make_member(cpas_a, Role.SOCIAL_WORKER)
    transfer = services.transfer_record_move(
        membership=old, contract=contract, moved_on=MOVED, learned_on=D(2026, 7, 2), answer_by=D(2026, 7, 16),
        other_name=elsewhere.name, other_nis_code=elsewhere.nis_code, today=D(2026, 7, 2),
    )  # fmt: skip
    services.transfer_record_answer(membership=old, transfer=transfer, answer=Answer.CONSENT,
                                    answered_on=D(2026, 7, 3), channel="letter", today=D(2026, 7, 3))  # fmt: skip
    if pdf is None:
        pdf = render_contract_pdf(version_to_send(contract))
    services.transfer_send(membership=old, transfer=transfer, pdf=pdf, today=D(2026, 7, 3))
    transfer.refresh_from_db()
    return transfer


def test_export_follows_the_schema(cpas_a):
    elsewhere = make_cpas(name="CPAS de Namur")
    transfer = _sent_elsewhere(cpas_a, elsewhere)
    jsonschema.validate(transfer.package, schema())


def test_round_trip_export_import_export_is_identical_and_the_pdf_the_same(cpas_a):
    elsewhere = make_cpas(name="CPAS de Namur")
    transfer = _sent_elsewhere(cpas_a, elsewhere, pdf=None)
    exported = dump(transfer.package)
    incoming = services.package_import(actor=None, cpas=elsewhere, raw=exported, today=D(2026, 7, 6))
    incoming.refresh_from_db()
    assert dump(incoming.package) == exported
    original = render_contract_pdf(version_to_send(transfer.contract))
    assert pdf_bytes(incoming.package)[:5] == b"%PDF-"
    # the PDF the new CPAS shows is the one the old CPAS signed, byte for byte
    assert pdf_bytes(incoming.package) == pdf_bytes(transfer.package)
    assert len(original) > 1000
    assert TakeoverReview.objects.filter(incoming=incoming).count() == 2


@pytest.fixture
def package(cpas_a):
    elsewhere = make_cpas(name="CPAS de Namur", nis_code="92094")
    transfer = _sent_elsewhere(cpas_a, elsewhere)
    return elsewhere, copy.deepcopy(transfer.package)


def _refused(cpas, raw: bytes) -> str:
    with pytest.raises(ServiceError) as refused:
        services.package_import(actor=None, cpas=cpas, raw=raw, today=D(2026, 7, 6))
    assert not IncomingTransfer.objects.filter(cpas=cpas).exists()  # nothing half-imported
    assert not TakeoverReview.objects.filter(cpas=cpas).exists()
    message = str(error_message(refused.value.code, refused.value.params))
    assert message and refused.value.code not in message  # a message from the catalogue, never the code
    return refused.value.code


def test_hostile_wrong_version(package):
    cpas, document = package
    document["version"] = 2
    assert _refused(cpas, dump(document)) == "PACKAGE_WRONG_VERSION"


def test_hostile_foreign_cpas(package, cpas_b):
    cpas, document = package
    assert _refused(cpas_b, dump(document)) == "PACKAGE_NOT_FOR_US"
    document["source"]["nis_code"] = cpas.nis_code
    assert _refused(cpas, dump(document)) == "PACKAGE_NOT_FOR_US"


def test_hostile_50_mb(package, settings):
    cpas, document = package
    document["piis"]["signed_pdf"]["base64"] = base64.b64encode(b"%PDF-" + b"0" * (38 * 1024 * 1024)).decode()
    raw = dump(document)
    assert len(raw) > 50 * 1024 * 1024
    assert _refused(cpas, raw) == "PACKAGE_TOO_LARGE"


@pytest.mark.parametrize(
    "text", ["<script>alert(1)</script>", "Voir <img src=x onerror=alert(1)>", "javascript:alert(1)"]
)
def test_hostile_script_in_text(package, text):
    cpas, document = package
    document["piis"]["commitments"][0]["text"] = text
    assert _refused(cpas, dump(document)) == "PACKAGE_MARKUP"


def test_hostile_unknown_field(package):
    cpas, document = package
    document["piis"]["commitments"][0]["run"] = "rm -rf /"
    assert _refused(cpas, dump(document)) == "PACKAGE_INVALID"


def test_bad_json_reference_and_pdf(package):
    cpas, document = package
    assert _refused(cpas, b"{not json") == "PACKAGE_NOT_JSON"
    assert _refused(cpas, json.dumps([1]).encode()) == "PACKAGE_WRONG_FORMAT"
    dangling = copy.deepcopy(document)
    dangling["piis"]["commitments"][0]["objective"] = "o999999"
    assert _refused(cpas, dump(dangling)) == "PACKAGE_INCONSISTENT"
    bad_date = copy.deepcopy(document)
    bad_date["transfer"]["moved_on"] = "2026-02-31"
    assert _refused(cpas, dump(bad_date)) == "PACKAGE_INCONSISTENT"
    not_pdf = copy.deepcopy(document)
    not_pdf["piis"]["signed_pdf"]["base64"] = base64.b64encode(b"MZ\x90\x00").decode()
    assert _refused(cpas, dump(not_pdf)) == "PACKAGE_PDF_INVALID"


def test_imported_twice_is_refused_the_second_time(package):
    cpas, document = package
    services.package_import(actor=None, cpas=cpas, raw=dump(document), today=D(2026, 7, 6))
    with pytest.raises(ServiceError) as refused:
        services.package_import(actor=None, cpas=cpas, raw=dump(document), today=D(2026, 7, 6))
    assert refused.value.code == "PACKAGE_ALREADY_IMPORTED"


def test_read_package_accepts_the_export(package):
    cpas, document = package
    assert read_package(dump(document), destination_nis_code=cpas.nis_code) == document


def test_hostile_nul_and_lone_surrogate_never_reach_the_database(package):
    cpas, document = package
    document["person"]["first_name"] = "Alex\u0000"
    assert _refused(cpas, dump(document)) == "PACKAGE_MARKUP"
    raw = dump({**document, "person": {**document["person"], "first_name": "ALEXSURROGATE"}})
    assert _refused(cpas, raw.replace(b"ALEXSURROGATE", b"\\ud800")) == "PACKAGE_NOT_JSON"
    deep = b"[" * 100000 + b"]" * 100000
    assert _refused(cpas, deep) in {"PACKAGE_NOT_JSON", "PACKAGE_WRONG_FORMAT"}
