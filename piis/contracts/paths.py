"""Paths and promises (issue 18), shared by the contract page, the PDF and the file's timeline.

A PIIS follows a sequenced path (its objectives grouped in stages worked on one after the other) or an integrated
one (several domains at once): `stages` groups objectives for display. Every commitment promises means (to try, to
attend) or a result (to obtain): `promise_sentence` says it in plain words for the party who promises it, as the
PDF prints it under each commitment (rules.check_breach refuses a "result not obtained" breach of a commitment of
means).
"""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.utils.translation import gettext as _

from piis.contracts.enums import Obligation, Party, PathKind

T = TypeVar("T")


def stages(
    objectives: Iterable[T], path: str, *, stage_of: Callable[[T], int | None]
) -> list[tuple[int | None, list[T]]]:
    """The objectives grouped for display, in order: for a sequenced path one group per stage (1, 2, 3…; those with
    no stage last, under None); otherwise one group (None) holding them all in their own order."""
    items = list(objectives)
    if path != PathKind.SEQUENCED:
        return [(None, items)] if items else []
    groups: dict[int | None, list[T]] = {}
    for item in items:
        groups.setdefault(stage_of(item), []).append(item)
    return sorted(groups.items(), key=lambda pair: (pair[0] is None, pair[0] or 0))


def promise_sentence(party: str, obligation: str, *, third_party_name: str = "") -> str:
    """What the commitment promises, in plain words, said to the person who reads the contract (translated in the
    active language: the PDF runs in the person's language)."""
    result = obligation == Obligation.RESULT
    if party == Party.BENEFICIARY:
        if result:
            return _("You promise to obtain this result.")
        return _("You promise to try and to attend, not to succeed: what counts is that you do what is written.")
    if party == Party.CPAS:
        if result:
            return _("The CPAS promises to obtain this result.")
        return _("The CPAS promises to do everything it can for it.")
    if result:
        return _("%(name)s promises to obtain this result.") % {"name": third_party_name}
    return _("%(name)s promises to do everything it can for it.") % {"name": third_party_name}


def obligation_label(obligation: str) -> Any:
    return Obligation(obligation).label if obligation in Obligation.values else Obligation.MEANS.label
