"""R39 on the agenda: the end of a reflection period is the day the person may sign, not a deadline the worker misses.
Once reached, the agenda says "signing possible since …", never "… days overdue"."""

import pytest
from django.urls import reverse

from piis.followup.selectors import Kind, agenda_for_user
from tests.factories import make_contract, make_version
from tests.followup.builders import D, at

pytestmark = pytest.mark.django_db


def _reflecting(cpas, user):
    contract = make_contract(cpas, social_worker=user, status="handed_over")
    make_version(cpas, contract=contract, handed_over_on=D(2026, 4, 6))  # may sign from 2026-04-12
    return contract


@pytest.mark.parametrize(("today", "said"), [(D(2026, 4, 13), "signing possible since 12/04/2026"),
                                             (D(2026, 4, 12), "signing possible since 12/04/2026"),
                                             (D(2026, 4, 10), "2 days left")])  # fmt: skip
def test_the_end_of_a_reflection_period_is_never_shown_overdue(cpas_a, worker_a, login, today, said):
    _reflecting(cpas_a, worker_a.user)
    [item] = agenda_for_user(cpas=cpas_a, user=worker_a.user, today=today)[-1:]
    assert (item.kind, item.overdue, item.opens_signing) == (Kind.REFLECTION, False, True)
    with at(today):
        response = login(worker_a).get(reverse("followup:agenda"), {"kind": "reflection"})
    html = response.content.decode()
    assert said in html
    assert "overdue</span>" not in html and "day overdue" not in html
    assert [i.kind for i in response.context["view"].items] == [Kind.REFLECTION]


def test_other_deadlines_still_count_down_and_go_overdue(cpas_a, worker_a):
    _reflecting(cpas_a, worker_a.user)
    items = agenda_for_user(cpas=cpas_a, user=worker_a.user, today=D(2026, 4, 13))
    assert [i.opens_signing for i in items if i.kind != Kind.REFLECTION] == [False] * (len(items) - 1)
