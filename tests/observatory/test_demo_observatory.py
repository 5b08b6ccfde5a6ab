"""The demo gives the observatory numbers: per quarter, per team and per worker, in both demo CPAS."""

import datetime

import pytest

from piis.accounts.models import Membership
from piis.demo.data import load_demo_data
from piis.observatory.periods import Granularity
from piis.observatory.selectors import build_dashboard

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 27)


def test_the_demo_observatory_shows_figures_and_loading_twice_adds_nothing():
    load_demo_data(today=TODAY)
    for director in Membership.objects.filter(role="director", user__username__endswith="_director").exclude(
        user__username="both_director"
    ):
        board = build_dashboard(director, today=TODAY, granularity=Granularity.QUARTER)
        shown = [v for chart in board.charts for _p, values in chart.rows for v in values if v.shown is not None]
        assert len(shown) > 20, director.user.username
        assert len(board.teams) == 2 and len(board.workers) >= 2
        assert any(v.shown is not None for v in board.teams[1].values)
    before = Membership.objects.count()
    load_demo_data(today=TODAY)
    assert Membership.objects.count() == before
