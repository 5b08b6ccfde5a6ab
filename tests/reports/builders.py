"""Builders for the reports tests (tests/factories.py belongs to the whole team; these are ours)."""

import datetime
from decimal import Decimal

from tests.factories import make_beneficiary, make_contract, make_household_member, make_ri_decision

D = datetime.date
GRANTED = D(2026, 3, 10)
BIRTH = D(1990, 1, 1)


def file_with_ri(cpas, *, granted=GRANTED, amount=Decimal("876.13"), category=1, birth=BIRTH, **kwargs):
    """A file with one RI decision granted (and decided) on `granted`."""
    beneficiary = make_beneficiary(cpas, birth_date=birth, **kwargs)
    decision = make_ri_decision(
        cpas, beneficiary=beneficiary, decided_on=granted, start_on=granted, category=category, monthly_amount=amount
    )
    return beneficiary, decision


def sign_piis(cpas, decision, signed_on, *, ended_on=None):
    """A PIIS concluded on `signed_on` for the decision's file (in force, or ended on `ended_on`)."""
    status = "ended" if ended_on else "in_force"
    return make_contract(cpas, ri_decision=decision, status=status, signed_on=signed_on, ended_on=ended_on)


def couple(cpas, *, granted=GRANTED, amount=Decimal("1776.07"), birth=BIRTH):
    """Two files on the category-3 RI, each naming the other as partner."""
    a, da = file_with_ri(cpas, granted=granted, amount=amount, category=3, birth=birth)
    b, db = file_with_ri(cpas, granted=granted, amount=amount, category=3, birth=birth)
    make_household_member(cpas, beneficiary=a, name=f"{b.first_name} {b.last_name}", relation="partner")
    make_household_member(cpas, beneficiary=b, name=f"{a.first_name} {a.last_name}", relation="partner")
    return (a, da), (b, db)


def compute(cpas, month):
    """The month's claim computed and stored (reports.claims), as the director's button or the nightly run does."""
    from piis.reports.claims import compute_claim

    return compute_claim(cpas, month)
