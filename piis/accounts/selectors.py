from piis.accounts.models import Membership


def membership_list_for_user(*, user) -> list[Membership]:
    """The user's active memberships, each holding `user` itself: a page's audit row names its actor
    (`membership.user`) without reading the user again."""
    memberships = list(
        Membership.objects.filter(user=user, is_active=True).select_related("cpas").order_by("cpas__name", "id")
    )
    for membership in memberships:
        membership.user = user
    return memberships


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


def second_factor_device(*, user):
    """The user's confirmed TOTP device, or None (they must enrol)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def recovery_device(*, user):
    """The user's recovery codes (a device whose verify_token compares keyed digests), or None."""
    from piis.accounts.models import RecoveryCodes

    return RecoveryCodes.objects.filter(user=user, confirmed=True).order_by("id").first()


def recovery_codes_left(*, user) -> int:
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def staff_second_factor_list(*, cpas) -> list[Membership]:
    """The CPAS's active members, each with `has_second_factor`, for the administrator's reset page (one query)."""
    from django.db.models import Exists, OuterRef
    from django_otp.plugins.otp_totp.models import TOTPDevice

    enrolled = TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)
    return list(
        Membership.objects.filter(cpas=cpas, is_active=True)
        .select_related("user")
        .annotate(has_second_factor=Exists(enrolled))
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def member_of_cpas(*, cpas, membership_id: int) -> Membership:
    """A membership of this CPAS (404 for another CPAS's)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Membership.objects.select_related("user"), cpas=cpas, pk=membership_id)
