from piis.accounts.models import Membership


def membership_list_for_user(*, user) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user, is_active=True).select_related("cpas").order_by("cpas__name", "id")
    )


def membership_for_request(*, user, wanted_cpas_id: int | None) -> tuple[Membership | None, list[Membership]]:
    """The membership of the CPAS chosen in the session (or the user's first), and all of the user's memberships."""
    memberships = membership_list_for_user(user=user)
    if not memberships:
        return None, memberships
    for membership in memberships:
        if membership.cpas_id == wanted_cpas_id:
            return membership, memberships
    return memberships[0], memberships


def closure_days(*, cpas) -> frozenset:
    """The CPAS's local closure days, for the working-day arithmetic of the rules core (§15.1 rule 4)."""
    from piis.accounts.models import ClosureDay

    return frozenset(ClosureDay.objects.for_cpas(cpas).values_list("day", flat=True))


def required_cpas_signatories(*, cpas):
    """R35 / O5: the lines of the CPAS's signatory matrix whose signature a PIIS needs."""
    from piis.accounts.models import Signatory

    return list(Signatory.objects.for_cpas(cpas).filter(required=True).prefetch_related("delegations"))
