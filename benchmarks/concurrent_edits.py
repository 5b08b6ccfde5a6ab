"""make measure-concurrent-edits: 100 pairs of people saving the same objective at the same time, through the real
views, on PostgreSQL (issue 16). Figures, not pass/fail: prints "conflicts caught: N/100, lost updates: M".

Each pair: two social workers read the objective's edit page, each changes a different field, both save at once,
each in their own thread, connection and request transaction (tests/core/concurrent_edits.py). A conflict is caught
when one save goes through and the other is refused with both values shown; an update is lost when a save answered
"saved" is not what is stored. `--without-check` plays the same pairs with the version comparison switched off (the
row lock alone), to show what the figure was before.

Builds its own throw-away test database, as benchmarks/run.py does. PAIRS=… changes the number of pairs.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "piis.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

PAIRS = int(os.environ.get("PAIRS", "100"))


def _measure(pairs: int, *, check: bool) -> tuple[int, int, int]:
    from piis.audit import services as audit_services
    from tests.core.concurrent_edits import LockWatch, an_objective, play_pair, two_editors
    from tests.factories import make_cpas

    original = audit_services.check_read_version

    def lock_only(instance):
        instance.__dict__.pop("_piis_expected_read_version", None)
        return None

    watch = LockWatch(original if check else lock_only, hold=0.0)
    audit_services.check_read_version = watch  # type: ignore[assignment]
    try:
        cpas = make_cpas(name=f"CPAS concurrent edits {'on' if check else 'off'}")
        editors = two_editors(cpas)
        caught = lost = 0
        for _ in range(pairs):
            result = play_pair(editors, an_objective(cpas, editors), watch=watch)
            caught += result.caught
            lost += result.lost
        both_saved = pairs - caught
    finally:
        audit_services.check_read_version = original
    return caught, lost, both_saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--without-check", action="store_true", help="also play the pairs without the comparison")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("needs PostgreSQL (real concurrent transactions); see piis/settings/test.py")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        caught, lost, _other = _measure(PAIRS, check=True)
        print(f"conflicts caught: {caught}/{PAIRS}, lost updates: {lost}")
        if args.without_check:
            caught, lost, _other = _measure(PAIRS, check=False)
            print(f"without the version check: conflicts caught: {caught}/{PAIRS}, lost updates: {lost}")
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
