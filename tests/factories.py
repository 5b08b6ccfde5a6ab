"""Small builders for tests (plain functions: the objects are simple and few)."""

import datetime
import itertools

from piis.accounts.enums import Region, Role, SignatoryFunction
from piis.accounts.models import ClosureDay, Cpas, Membership, Signatory, SignatoryDelegation, User
from piis.cases.models import Beneficiary
from piis.cases.validators import nrn_with_check

_seq = itertools.count(1)


def make_cpas(**kwargs) -> Cpas:
    n = next(_seq)
    defaults = {"name": f"CPAS {n}", "nis_code": f"{10000 + n:05d}", "region": Region.WALLONIA}
    return Cpas.objects.create(**{**defaults, **kwargs})


def make_member(cpas: Cpas, role: str = Role.SOCIAL_WORKER, **kwargs) -> Membership:
    n = next(_seq)
    user = User.objects.create_user(username=kwargs.pop("username", f"user{n}"), password="pw-for-tests-123456")
    return Membership.objects.create(user=user, cpas=cpas, role=role, **kwargs)


def make_beneficiary(cpas: Cpas, **kwargs) -> Beneficiary:
    n = next(_seq)
    birth = kwargs.pop("birth_date", datetime.date(1990, 1, 1 + n % 28))
    defaults = {
        "first_name": f"Alex{n}",
        "last_name": f"Martin{n}",
        "birth_date": birth,
        "national_number": nrn_with_check(birth, n % 997 + 1),
    }
    return Beneficiary.objects.create(cpas=cpas, **{**defaults, **kwargs})


def make_closure_day(cpas: Cpas, **kwargs) -> ClosureDay:
    day = datetime.date(2026, 12, 1) + datetime.timedelta(days=next(_seq) % 300)
    return ClosureDay.objects.create(cpas=cpas, **{"day": day, **kwargs})


def make_signatory(cpas: Cpas, **kwargs) -> Signatory:
    used = set(Signatory.objects.filter(cpas=cpas).values_list("function", flat=True))
    function = next(f for f in SignatoryFunction if f not in used)
    return Signatory.objects.create(cpas=cpas, **{"function": function, "holder_name": "Camille Test", **kwargs})


def make_delegation(cpas: Cpas, **kwargs) -> SignatoryDelegation:
    signatory = kwargs.pop("signatory", None) or make_signatory(cpas)
    return SignatoryDelegation.objects.create(
        cpas=cpas,
        signatory=signatory,
        **{"delegate_name": "Sam Delegate", "valid_from": datetime.date(2026, 1, 1), **kwargs},
    )
