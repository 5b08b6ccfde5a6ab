"""core.prefetch.prefetch_reverse: the rows of each instance, read without a query, never another's."""

import pytest

from piis.cases.models import Beneficiary, RiDecision
from piis.core.prefetch import prefetch_reverse
from tests.factories import make_beneficiary, make_ri_decision

pytestmark = pytest.mark.django_db


def test_each_instance_gets_its_own_rows_without_a_query(cpas_a, django_assert_num_queries):
    people = [make_beneficiary(cpas_a) for _ in range(3)]
    decisions = {p.pk: {make_ri_decision(cpas_a, beneficiary=p).pk for _ in range(i)} for i, p in enumerate(people)}
    fresh = list(Beneficiary.objects.filter(pk__in=[p.pk for p in people]).order_by("pk"))
    with django_assert_num_queries(1):
        prefetch_reverse(fresh, "ri_decisions", RiDecision.objects.for_cpas(cpas_a))
    with django_assert_num_queries(0):
        for person in fresh:
            rows = list(person.ri_decisions.all())
            assert {d.pk for d in rows} == decisions[person.pk]
            assert all(d.beneficiary is person for d in rows)
            assert person.ri_decisions.count() == len(rows)
            assert person.ri_decisions.exists() == bool(rows)
    # A new query on the stored relation reads nothing, never another instance's rows.
    assert list(fresh[2].ri_decisions.all().filter(pk__gt=0)) == []
    prefetch_reverse([], "ri_decisions")
