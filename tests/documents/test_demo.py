"""The demo holds documents, a letter, a template, an explanation and an outcome in both CPAS (idempotent)."""

import pytest

from piis.accounts.models import Cpas
from piis.demo.data import load_demo_data
from piis.documents.models import ContractOutcome, Document, Explanation, Letter, LetterTemplate

pytestmark = pytest.mark.django_db


def test_demo_documents_in_both_cpas():
    load_demo_data()
    counts = {}
    for cpas in Cpas.objects.all():
        counts[cpas.pk] = (
            Document.objects.for_cpas(cpas).count(),
            Letter.objects.for_cpas(cpas).count(),
            LetterTemplate.objects.for_cpas(cpas).count(),
            Explanation.objects.for_cpas(cpas).count(),
            ContractOutcome.objects.for_cpas(cpas).count(),
        )
        documents, letters, templates, explanations, outcomes = counts[cpas.pk]
        assert documents >= 2 and letters >= 1 and templates >= 1 and explanations >= 1, (cpas, counts[cpas.pk])
        assert Document.objects.for_cpas(cpas).filter(kind="attendance", step__isnull=False).exists()
        with Letter.objects.for_cpas(cpas).first().pdf.open("rb") as stored:
            assert stored.read().startswith(b"%PDF")
    load_demo_data()
    assert counts == {
        cpas.pk: (
            Document.objects.for_cpas(cpas).count(),
            Letter.objects.for_cpas(cpas).count(),
            LetterTemplate.objects.for_cpas(cpas).count(),
            Explanation.objects.for_cpas(cpas).count(),
            ContractOutcome.objects.for_cpas(cpas).count(),
        )
        for cpas in Cpas.objects.all()
    }
