"""The deadline table (piis.followup.deadlines): what the agenda reads from it equals the per-file computation
(followup.agenda.computed_agenda) on many generated files and days, and every kind of write changes the agenda
without anything else being called."""

import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from piis.cases.models import Beneficiary
from piis.contracts.models import AmendmentRequest
from piis.followup.agenda import computed_agenda
from piis.followup.deadlines import files_with_deadlines, refresh_changed
from piis.followup.models import Deadline, DeadlineFile
from piis.followup.selectors import agenda_for_cpas, agenda_for_user, agenda_page_for_user, team_load
from tests.factories import (
    make_beneficiary,
    make_clause,
    make_closure_day,
    make_contract,
    make_exemption,
    make_member,
    make_objective,
    make_ri_decision,
    make_step,
    make_version,
)
from tests.followup.builders import (
    D,
    make_evaluation,
    make_in_force_contract,
    make_meeting_request,
    make_objective_progress,
)

pytestmark = pytest.mark.django_db
TODAY = D(2026, 4, 8)
DAYS = (D(2026, 1, 5), TODAY, D(2026, 7, 1), D(2027, 2, 15))


def _full(items):
    """Everything an agenda line shows, the fields AgendaItem's equality leaves out included."""
    return [(i, i.label, i.url, i.detail, i.beneficiary.pk, str(i.beneficiary)) for i in items]


def _generate(cpas, workers, rng: random.Random, n: int) -> None:
    """`n` files of every shape the agenda knows, drawn at random: obligations met or not, contracts in each state
    with evaluations, objectives (reached or not), steps, commitments in each delivery state, meeting requests,
    exemptions running, over or lifted, files and contracts of two workers or of none."""
    pick = rng.choice
    for _i in range(n):
        file_worker = pick([*workers, None])
        person = make_beneficiary(cpas, social_worker=file_worker, birth_date=D(pick([1990, 2004, 2005]), 3, 1))
        decision = make_ri_decision(
            cpas, beneficiary=person, decided_on=D(2025, rng.randint(1, 12), rng.randint(1, 28))
        )
        open_one = False  # one contract not ended per file at most
        for _c in range(rng.randint(0, 2)):
            status = "ended" if open_one else pick(["draft", "handed_over", "in_force", "in_force", "ended"])
            open_one = open_one or status != "ended"
            signed = D(2025, rng.randint(1, 12), 15) if status in ("in_force", "ended") else None
            contract = make_contract(
                cpas,
                ri_decision=decision,
                social_worker=pick(workers),
                status=status,
                signed_on=signed,
                ended_on=D(2026, 3, 1) if status == "ended" else None,
                end_on=pick([None, D(2026, rng.randint(1, 12), 10)]) if status == "in_force" else None,
            )
            if status in ("handed_over", "in_force", "ended"):
                make_version(cpas, contract=contract, handed_over_on=D(2026, pick([3, 4]), rng.randint(1, 28)))
            if signed is None:
                continue
            evaluations = [
                make_evaluation(
                    cpas,
                    contract=contract,
                    held_on=D(2026, rng.randint(1, 2), rng.randint(1, 28)),
                    mode=pick(["office", "phone", "home"]),
                )
                for _e in range(rng.randint(0, 3))
            ]
            for _o in range(rng.randint(0, 2)):
                objective = make_objective(cpas, contract=contract, due_on=D(2026, rng.randint(1, 12), 5))
                if rng.random() < 0.5:
                    make_step(cpas, objective=objective, due_on=D(2026, rng.randint(1, 12), 20))
                if evaluations and rng.random() < 0.5:
                    progress = pick(["in_progress", "reached", "abandoned"])
                    make_objective_progress(cpas, evaluation=evaluations[0], objective=objective, progress=progress)
            for _k in range(rng.randint(0, 2)):
                delivery = pick(["planned", "in_progress", "done", "not_done"])
                make_clause(
                    cpas,
                    contract=contract,
                    party=pick(["beneficiary", "cpas"]),
                    proposed_by="cpas",
                    kind="training",
                    text=f"Engagement {rng.randint(1, 999)} " * 20,
                    due_on=pick([None, D(2026, rng.randint(1, 12), 25)]),
                    delivery_status=delivery,
                    delivery_status_on=None if delivery == "planned" else D(2026, 3, 1),
                )
        for _m in range(rng.randint(0, 2)):
            requested = D(2026, rng.randint(1, 4), rng.randint(1, 20))
            make_meeting_request(
                cpas,
                beneficiary=person,
                requested_on=requested,
                deadline=D(requested.year, requested.month, requested.day + 7),
                status=pick(["open", "open", "held"]),
                held_on=None,
                from_portal=rng.random() < 0.3,
                subject=pick(["", "Formation"]),
            )
        if rng.random() < 0.4:
            end = pick([None, D(2026, 3, 1), D(2026, 9, 30)])
            make_exemption(
                cpas,
                beneficiary=person,
                start_on=D(2026, 1, 1),
                decided_on=D(2026, 1, 1),
                review_on=D(2026, rng.randint(2, 8), 1),
                end_on=end,
                lifted_on=pick([None, None, D(2026, 2, 1)]),
            )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_table_equals_the_per_file_computation(cpas_a, seed):
    rng = random.Random(seed)
    workers = [make_member(cpas_a).user for _ in range(2)]
    _generate(cpas_a, workers, rng, 25)
    shown = 0
    for today in DAYS:  # each day makes every file stale: recomputed as a new day's first read does
        for worker in workers:
            expected = computed_agenda(cpas=cpas_a, user=worker, today=today)
            assert _full(agenda_for_user(cpas=cpas_a, user=worker, today=today)) == _full(expected)
            shown += len(expected)
            page = agenda_page_for_user(cpas=cpas_a, user=worker, today=today, horizon_days=30)
            within = [i for i in expected if i.due_on <= D.fromordinal(today.toordinal() + 30)]
            assert _full(page.items[0 : len(page.items)]) == _full(within)
            assert page.overdue == sum(1 for i in within if i.overdue)
        everyone = {(i.key, i.workers) for i in computed_agenda(cpas=cpas_a, user=None, today=today) if i.workers}
        assert {(i.key, i.workers) for i in agenda_for_cpas(cpas=cpas_a, today=today)} == everyone
    assert shown > 100  # the generated files do have deadlines


def test_labels_are_worded_in_the_readers_language(cpas_a, worker_a):
    person = make_beneficiary(cpas_a, social_worker=worker_a.user)
    make_meeting_request(cpas_a, beneficiary=person, requested_on=D(2026, 4, 3), deadline=D(2026, 4, 13), subject="")
    make_exemption(cpas_a, beneficiary=person, review_on=D(2026, 5, 1))
    with translation.override("en"):
        english = [i.label for i in agenda_for_user(cpas=cpas_a, user=worker_a.user, today=TODAY)]
    with translation.override("fr"):
        french = [i.label for i in agenda_for_user(cpas=cpas_a, user=worker_a.user, today=TODAY)]
    assert english == [
        "Hold the meeting the person asked for",
        "Review the exemption from the PIIS decided on 01/02/2026",
    ]
    assert french[0] != english[0] and french[1] != english[1] and "01/02/2026" in french[1]
    assert not Deadline.objects.filter(params__icontains="Hold").exists()  # no words stored


# --- every write changes the agenda, with nothing else called ---------------------------------------------------


def _contract_file(cpas, worker):
    """A PIIS in force with an evaluation, a planned end, an objective with a step and a commitment due."""
    contract = make_in_force_contract(cpas, social_worker=worker, signed_on=D(2025, 5, 1), end_on=D(2026, 12, 31))
    evaluation = make_evaluation(cpas, contract=contract, held_on=D(2025, 9, 1), mode="phone")
    objective = make_objective(cpas, contract=contract, due_on=D(2026, 6, 30))
    step = make_step(cpas, objective=objective, due_on=D(2026, 5, 15))
    clause = make_clause(cpas, contract=contract, due_on=D(2026, 5, 20), party="cpas", proposed_by="cpas")
    return {"contract": contract, "evaluation": evaluation, "objective": objective, "step": step, "clause": clause}


def _save(obj, **changes):
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save()


TRIGGERS = {
    "contract planned end": lambda f, w: _save(f["contract"], end_on=D(2026, 11, 30)),
    "contract ended": lambda f, w: _save(f["contract"], status="ended", ended_on=D(2026, 4, 1)),
    "contract's worker": lambda f, w: _save(f["contract"], social_worker=w),
    "file's worker": lambda f, w: _save(f["contract"].beneficiary, social_worker=w),
    "objective's date": lambda f, w: _save(f["objective"], due_on=D(2026, 7, 1)),
    "objective reached": lambda f, w: make_objective_progress(
        f["contract"].cpas, evaluation=f["evaluation"], objective=f["objective"], progress="reached"
    ),
    "step's date": lambda f, w: _save(f["step"], due_on=D(2026, 5, 16)),
    "step removed": lambda f, w: f["step"].delete(),
    "commitment delivered": lambda f, w: _save(f["clause"], delivery_status="done", delivery_status_on=TODAY),
    "evaluation held": lambda f, w: make_evaluation(
        f["contract"].cpas, contract=f["contract"], held_on=D(2026, 3, 1), mode="office"
    ),
    "evaluation moved": lambda f, w: _save(f["evaluation"], held_on=D(2025, 9, 2), mode="office"),
    "meeting requested": lambda f, w: make_meeting_request(
        f["contract"].cpas, beneficiary=f["contract"].beneficiary, requested_on=D(2026, 4, 7), deadline=D(2026, 4, 17)
    ),
    "exemption granted": lambda f, w: make_exemption(f["contract"].cpas, beneficiary=f["contract"].beneficiary),
    "RI decision recorded": lambda f, w: make_ri_decision(
        f["contract"].cpas, beneficiary=f["contract"].beneficiary, decided_on=D(2026, 3, 1)
    ),
    "amendment asked": lambda f, w: AmendmentRequest.objects.create(
        cpas=f["contract"].cpas,
        contract=f["contract"],
        beneficiary=f["contract"].beneficiary,
        text="Changer la formation",
        requested_on=D(2026, 4, 7),
        requested_by=w,
    ),
}


@pytest.mark.parametrize("trigger", list(TRIGGERS))
def test_a_write_changes_the_agenda_by_itself(cpas_a, worker_a, trigger):
    worker, colleague = worker_a.user, make_member(cpas_a).user
    file = _contract_file(cpas_a, worker)
    before = {w.pk: _full(agenda_for_user(cpas=cpas_a, user=w, today=TODAY)) for w in (worker, colleague)}
    assert DeadlineFile.objects.get(beneficiary=file["contract"].beneficiary).computed_for == TODAY
    TRIGGERS[trigger](file, colleague)
    after = {w.pk: _full(agenda_for_user(cpas=cpas_a, user=w, today=TODAY)) for w in (worker, colleague)}
    assert after != before
    for w in (worker, colleague):
        assert after[w.pk] == _full(computed_agenda(cpas=cpas_a, user=w, today=TODAY))


def test_a_committed_write_is_recomputed_at_once(cpas_a, worker_a, django_capture_on_commit_callbacks):
    """On commit (not only when next read): the rows are right before anyone reads them."""
    file = _contract_file(cpas_a, worker_a.user)
    agenda_for_user(cpas=cpas_a, user=worker_a.user, today=TODAY)
    with django_capture_on_commit_callbacks(execute=False):
        _save(file["objective"], due_on=D(2026, 7, 1))
        _save(file["step"], due_on=D(2026, 5, 16))
    state = DeadlineFile.objects.get(beneficiary=file["contract"].beneficiary)
    assert state.computed_for is None  # marked in the writer's transaction
    pending = [f for _sids, f, _robust in connection.run_on_commit if getattr(f, "func", None) is refresh_changed]
    assert len(pending) == 1  # one recomputation per transaction and CPAS, however many writes
    assert refresh_changed(cpas_a.pk, today=TODAY) == 1
    state.refresh_from_db()
    assert state.computed_for == TODAY
    assert Deadline.objects.get(kind="objective_due", object_id=file["objective"].pk).due_on == D(2026, 7, 1)


def test_a_closure_day_marks_the_files_with_a_conclusion_deadline(cpas_a, worker_a):
    obliged = make_beneficiary(cpas_a, social_worker=worker_a.user)
    make_ri_decision(cpas_a, beneficiary=obliged, decided_on=D(2026, 1, 10))
    other = make_beneficiary(cpas_a, social_worker=worker_a.user)
    make_meeting_request(cpas_a, beneficiary=other, requested_on=D(2026, 4, 3), deadline=D(2026, 4, 13))
    agenda_for_user(cpas=cpas_a, user=worker_a.user, today=TODAY)
    make_closure_day(cpas_a, day=D(2026, 4, 9))
    assert DeadlineFile.objects.get(beneficiary=obliged).computed_for is None
    assert DeadlineFile.objects.get(beneficiary=other).computed_for == TODAY
    items = agenda_for_user(cpas=cpas_a, user=worker_a.user, today=TODAY)
    assert _full(items) == _full(computed_agenda(cpas=cpas_a, user=worker_a.user, today=TODAY))


def test_the_rebuild_command_is_idempotent(cpas_a, worker_a):
    _generate(cpas_a, [worker_a.user], random.Random(7), 10)
    call_command("rebuild_deadlines", date=TODAY)
    first = sorted(Deadline.objects.values_list("beneficiary_id", "worker_id", "kind", "object_id", "due_on"))
    call_command("rebuild_deadlines", date=TODAY)
    assert sorted(Deadline.objects.values_list("beneficiary_id", "worker_id", "kind", "object_id", "due_on")) == first
    can_have = set(files_with_deadlines(cpas_a).values_list("pk", flat=True))
    assert first and set(DeadlineFile.objects.filter(computed_for=TODAY).values_list("beneficiary_id", flat=True)) == (
        can_have
    )
    everyone = {(i.key, i.workers) for i in computed_agenda(cpas=cpas_a, user=None, today=TODAY) if i.workers}
    assert {(i.key, i.workers) for i in agenda_for_cpas(cpas=cpas_a, today=TODAY)} == everyone


def test_the_rebuild_skips_the_files_nobody_sees_and_empties_those_no_longer_seen(cpas_a, worker_a):
    """Only the files that can have deadlines are recomputed; a file bulk-updated out of every caseload (no signal)
    loses its rows."""
    unseen = make_beneficiary(cpas_a, social_worker=None)
    make_meeting_request(cpas_a, beneficiary=unseen, requested_on=D(2026, 4, 3), deadline=D(2026, 4, 13))
    seen = make_beneficiary(cpas_a, social_worker=worker_a.user)
    make_meeting_request(cpas_a, beneficiary=seen, requested_on=D(2026, 4, 3), deadline=D(2026, 4, 13))
    call_command("rebuild_deadlines", date=TODAY)
    assert set(Deadline.objects.values_list("beneficiary_id", flat=True)) == {seen.pk}
    assert not DeadlineFile.objects.filter(beneficiary=unseen, computed_for=TODAY).exists()  # not recomputed
    Beneficiary.objects.filter(pk=seen.pk).update(social_worker=None)  # sends no signal
    call_command("rebuild_deadlines", date=TODAY)
    assert not Deadline.objects.exists()


def test_the_team_load_reads_the_table(cpas_a, worker_a):
    _generate(cpas_a, [worker_a.user], random.Random(11), 15)
    _weeks, rows = team_load(cpas=cpas_a, today=TODAY)
    row = next(r for r in rows if r.member == worker_a)
    expected = computed_agenda(cpas=cpas_a, user=worker_a.user, today=TODAY)
    assert row.overdue == sum(1 for i in expected if i.overdue)
