"""A person's own user for the tests of the person's actions: a Django user with no staff membership."""

import itertools

from piis.accounts.models import User

_seq = itertools.count(1)


def make_person_user(**kwargs) -> User:
    """A user with no membership (the portal's account links it to a file; the domain services need only that it
    is not staff)."""
    return User.objects.create_user(username=f"person{next(_seq)}", password="pw-for-person-123456", **kwargs)
