"""Issue 16: every edit form carries the version it was read at; a stale save is refused with both values shown and
nothing overwritten (piis.core.concurrency, piis.core.forms.ReadVersionMixin).

The edit pages are found, not listed: every GET route of the URL resolver, filled with the ids of the fuzz test's
demo-like world (tests/fuzz/world.py), is visited as every role; a page whose context holds a form of an existing
object is an edit page. Each must carry the mixin and render its version (and so must every form on another page
that posts to it, like the delivery form beside each commitment). Then, for every edit route, the lost update is
played: the user reads the page, someone else saves the object, the user saves the page as read — refused, their
value still stored, both values on the page; saving again from the refused page (a conscious choice) goes through.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django import forms
from django.db import models, transaction
from django.forms.formsets import BaseFormSet
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from piis.accounts.enums import Role
from piis.cases.forms import AssessmentItemForm
from piis.core.concurrency import TOKEN_NAME, display_stored, read_version
from piis.core.forms import ReadVersionMixin
from tests.fuzz.routes import discover_routes, parse_page
from tests.fuzz.world import build_world, path_candidates

pytestmark = pytest.mark.django_db

# Every route whose page edits an existing object. The crawl must find exactly these: a new edit page fails the
# consistency test until it is added here, and so gets its refusal test below.
EDIT_ROUTES = [
    "accounts:cpas_settings",
    "accounts:signatory_edit",
    "accounts:team_edit",
    "cases:assessment_edit",
    "cases:edit",
    "cases:record_edit",
    "catalogue:entry_edit",
    "catalogue:group_edit",
    "contracts:amendment_request_answer",
    "contracts:clause_edit",
    "contracts:edit",
    "contracts:information",
    "contracts:late_motivation",
    "contracts:library_edit",
    "contracts:objective_edit",
    "contracts:step_edit",
    "contracts:third_party_edit",
    "council:minutes_close",
    "council:sitting_edit",
    "documents:evaluation_explained",
    "documents:handover_explained",
    "documents:outcome",
    "followup:commitment_delivery",
    "followup:evaluation_edit",
    "followup:meeting_held",
    "followup:meeting_withdraw",
    "privacy:retention_edit",
    "sanctions:notice_sent",
    "sanctions:step",
]

# Forms of an existing object that need no version of their own, and why.
NOT_VERSIONED = {
    AssessmentItemForm: "the items' formset is saved with its assessment, whose version covers them",
}

ROLES = [Role.SOCIAL_WORKER, *(role for role in Role.values if role != Role.SOCIAL_WORKER)]


@pytest.fixture
def world(db):
    return build_world()


def _client(membership) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(membership.user)
    session = client.session
    session["current_cpas_id"] = membership.cpas_id
    session.save()
    return client


def _forms_in(response) -> list[forms.BaseForm]:
    """Every form in the response's template context: alone, in a dict of forms or in a formset."""
    found: list[forms.BaseForm] = []
    for context in response.context or []:
        for value in context.flatten().values():
            values = value.values() if isinstance(value, dict) else [value]
            for item in values:
                if isinstance(item, forms.BaseForm):
                    found.append(item)
                elif isinstance(item, BaseFormSet):
                    found.extend(item.forms)
    unique = {id(form): form for form in found}
    return list(unique.values())


def _formsets_in(response) -> list[BaseFormSet]:
    found = {}
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, BaseFormSet):
                found[id(value)] = value
    return list(found.values())


def _existing_object(form: forms.BaseForm):
    if isinstance(form, ReadVersionMixin):
        return form.versioned_object
    instance = getattr(form, "instance", None)
    return instance if instance is not None and instance.pk is not None else None


@dataclass
class EditPage:
    route: str
    url: str
    role: str
    form: forms.BaseForm
    html: str
    formsets: list  # the page's formsets, posted with the form (an assessment's items)


def _get(client: Client, url: str):
    savepoint = transaction.savepoint()
    try:
        response = client.get(url)
        if response.streaming:
            response.getvalue()  # read to the end: the test client then closes the file it streams
        return response
    finally:
        transaction.savepoint_rollback(savepoint)


def _edit_pages(world, routes=None):
    """(edit pages, every page's HTML by URL) of the crawl; `routes` narrows it to those route names."""
    candidates = path_candidates(world)
    clients = {role: _client(world.members[role]) for role in ROLES}
    pages: list[EditPage] = []
    html_by_url: dict[str, str] = {}
    for route in discover_routes():
        if routes is not None and route.name not in routes:
            continue
        assert route.params in candidates, f"{route.name}: give its parameters values in tests/fuzz/world.py"
        own, _other = candidates[route.params]
        for kwargs in own:
            url = route.url(kwargs)
            for role in ROLES:
                response = _get(clients[role], url)
                if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                    continue
                html = response.content.decode()
                html_by_url[url] = html
                formsets = _formsets_in(response)
                for form in _forms_in(response):
                    if form.is_bound or _existing_object(form) is None:
                        continue
                    pages.append(EditPage(route.name, url, role, form, html, formsets))
                break  # one role that may open the page is enough
    return pages, html_by_url


def _token_input(form) -> str:
    return f'<input type="hidden" name="{form.read_version_name}" value="{form.read_version}">'


# --- the consistency test -------------------------------------------------------------------------------------------


def test_every_edit_form_of_an_existing_object_carries_the_version_it_was_read_at(world):
    pages, html_by_url = _edit_pages(world)
    unversioned = sorted(
        {f"{p.route}: {type(p.form).__name__}" for p in pages if not isinstance(p.form, ReadVersionMixin)}
        - {f"{p.route}: {cls.__name__}" for p in pages for cls in NOT_VERSIONED}
    )
    assert not unversioned, "edit forms without ReadVersionMixin (piis.core.forms):\n" + "\n".join(unversioned)
    versioned = [p for p in pages if isinstance(p.form, ReadVersionMixin)]
    missing = [f"{p.route} {p.url}" for p in versioned if _token_input(p.form) not in p.html]
    assert not missing, "edit pages that do not render {{ form.read_version_input }}:\n" + "\n".join(missing)
    assert sorted({p.route for p in versioned}) == EDIT_ROUTES, " ".join(sorted({p.route for p in versioned}))

    # A form on another page that posts to an edit page (the delivery form beside each commitment) carries it too.
    names_by_url: dict[str, set[str]] = {}
    for page in versioned:
        names_by_url.setdefault(page.url, set()).update(page.form.add_prefix(name) for name in page.form.fields)
    unversioned_posts = []
    for url, html in html_by_url.items():
        for form in parse_page(html)[0]:
            target = form.action or url
            if form.method != "post" or target not in names_by_url:
                continue
            if set(form.fields) & names_by_url[target] and not any(n.endswith(TOKEN_NAME) for n in form.fields):
                unversioned_posts.append(f"{url} posts to {target} without its version")
    assert not unversioned_posts, "\n".join(unversioned_posts)


def test_the_consistency_check_sees_a_form_without_the_mixin(world, monkeypatch):
    """The control: the crawl finds an edit form whose class lost the mixin (the test above then names it)."""
    from piis.contracts.views import drafting

    class Plain(forms.ModelForm):
        class Meta:
            model = drafting.ThirdPartyForm.Meta.model
            fields = ["name"]

        def __init__(self, *args, contract, **kwargs):
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(drafting, "ThirdPartyForm", Plain)
    pages, _html = _edit_pages(world, routes={"contracts:third_party_edit"})
    assert pages and not any(isinstance(p.form, ReadVersionMixin) for p in pages)


# --- the lost update, played on every edit route --------------------------------------------------------------------


def _post_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple | models.QuerySet):
        return [_post_value(v) for v in value]
    return str(value)


def _page_data(page: EditPage) -> dict:
    """What the browser posts when the user saves the page as it was shown: the hidden inputs of its form (the
    version, which section) and each field's value as shown, with the page's formsets."""
    html_form = next(f for f in parse_page(page.html)[0] if page.form.read_version_name in f.fields)
    data: dict = {name: field.value for name, field in html_form.fields.items() if field.kind == "hidden"}
    bound_fields = list(page.form)
    for formset in page.formsets:
        bound_fields += list(formset.management_form)
        for form in formset.forms:
            bound_fields += list(form)
    for bound in bound_fields:
        value = _post_value(bound.value())
        if value is not None:
            data[bound.html_name] = value
    return data


# What someone else changes, where the first field the form shows is not what the user's save writes (a delivery
# recorded again with the status it has changes nothing, so overwrites nothing: its status is what counts).
SOMEONE_ELSE_CHANGES = {
    "followup:commitment_delivery": lambda clause: {
        "delivery_status": "not_done" if clause.delivery_status != "not_done" else "done",
        "delivery_status_on": timezone.localdate(),
    },
}


def _someone_else_changes(obj, form, route: str) -> tuple[str, object]:
    """Someone else saves the object with a new value in one field the form shows: (model field, new value)."""
    if route in SOMEONE_ELSE_CHANGES:
        changes = SOMEONE_ELSE_CHANGES[route](obj)
        type(obj)._default_manager.filter(pk=obj.pk).update(**changes)
        return next(iter(changes.items()))
    shown = [f for f in obj._meta.concrete_fields if form.version_fields.get(f.name, f.name) in form.fields]

    def rank(field):
        if isinstance(field, models.CharField | models.TextField) and not field.choices:
            return 0
        if isinstance(field, models.DateField):
            return 1
        return 2 if field.choices else 3

    for field in sorted(shown, key=rank):
        old = getattr(obj, field.attname)
        if isinstance(field, models.CharField | models.TextField) and not field.choices:
            new = ((old or "") + " (by B)")[-(field.max_length or 5000) :]
        elif isinstance(field, models.DateField):
            new = old - datetime.timedelta(days=1) if old else timezone.localdate()
        elif field.choices:
            new = next((v for v, _label in field.flatchoices if v not in (old, "")), None)
        elif isinstance(field, models.BooleanField):
            new = not old
        elif isinstance(field, models.IntegerField):  # a number of years (a retention period)
            new = (old or 0) + 1
        else:
            continue
        if new is None or new == old:
            continue
        type(obj)._default_manager.filter(pk=obj.pk).update(**{field.name: new})
        return field.name, new
    raise AssertionError(f"no field of {type(obj).__name__} that its form shows could be changed")


def _control(client: Client, page: EditPage, data: dict):
    savepoint = transaction.savepoint()
    try:
        return client.post(page.url, data)
    finally:
        transaction.savepoint_rollback(savepoint)


def _fill_required(form, data: dict) -> None:
    today = timezone.localdate()
    empty = [n for n, f in form.fields.items() if f.required and not data.get(form.add_prefix(n))]
    for days, name in enumerate(empty):
        field = form.fields[name]
        if isinstance(field, forms.DateField):
            data[form.add_prefix(name)] = (today + datetime.timedelta(days=30 * days)).isoformat()
        elif isinstance(field, forms.CharField):
            data[form.add_prefix(name)] = "Texte tapé par l'utilisateur"


@pytest.mark.parametrize("route", EDIT_ROUTES)
def test_a_stale_save_is_refused_with_both_values_and_nothing_overwritten(world, route):
    pages, _html = _edit_pages(world, routes={route})
    pages = [p for p in pages if isinstance(p.form, ReadVersionMixin)]
    assert pages, f"no edit page found for {route}"
    clients = {role: _client(world.members[role]) for role in ROLES}
    played = False
    for page in pages:
        client = clients[page.role]
        data = _page_data(page)
        # The control: saved as read and at once, the page goes through (rolled back, so the object stays as read).
        control = _control(client, page, data)
        if control.status_code != 302:
            _fill_required(page.form, data)  # what the user types in a field left empty (a draft's dates)
            control = _control(client, page, data)
        if control.status_code != 302:
            continue  # this object cannot be saved as it is (a closed request, rights not all explained): next one
        obj = page.form.versioned_object
        model = type(obj)
        name, theirs = _someone_else_changes(obj, page.form, route)

        refused = client.post(page.url, data)

        assert refused.status_code == 200, f"{route}: a stale save went through"
        html = refused.content.decode()
        assert "nothing has been saved" in html
        assert "Saved meanwhile:" in html or "Also changed meanwhile:" in html
        stored = model._default_manager.get(pk=obj.pk)
        assert getattr(stored, name) == theirs, f"{route}: the other person's {name} was overwritten"
        field = stored._meta.get_field(name)
        assert display_stored(stored, field).replace("'", "&#x27;") in html

        # Saving again from the refused page, which now carries the version stored, is a conscious choice: it goes.
        new_version = next(f for f in parse_page(html)[0] if page.form.read_version_name in f.fields)
        data[page.form.read_version_name] = new_version.fields[page.form.read_version_name].value
        assert data[page.form.read_version_name] == read_version(stored, related=page.form.version_related)
        again = client.post(page.url, data)
        assert again.status_code == 302, f"{route}: saving again from the refused page was refused"
        played = True
        break
    assert played, f"{route}: no object of the world could be saved as read (the control never passed)"


def test_a_change_to_a_related_set_saved_with_the_form_is_refused_too(world):
    """A team's members are saved with the team: someone moving a member out meanwhile makes the team page stale."""
    from piis.accounts.models import Membership

    [page] = [p for p in _edit_pages(world, routes={"accounts:team_edit"})[0] if isinstance(p.form, ReadVersionMixin)]
    data = _page_data(page)
    moved = Membership.objects.filter(team=page.form.instance).first()
    Membership.objects.filter(pk=moved.pk).update(team=None)

    response = _client(world.members[page.role]).post(page.url, data)

    html = response.content.decode()
    assert response.status_code == 200 and "nothing has been saved" in html
    assert "Also changed meanwhile: Members." in html
    assert Membership.objects.get(pk=moved.pk).team_id is None


# --- the mechanism ------------------------------------------------------------------------------------------------


def test_the_version_changes_with_any_stored_value_and_not_with_a_timestamp(world):
    from piis.cases.models import Beneficiary

    person = Beneficiary.objects.get(pk=world.ids["beneficiary_id"][0])
    before = read_version(person)
    Beneficiary.objects.filter(pk=person.pk).update(updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert read_version(Beneficiary.objects.get(pk=person.pk)) == before
    Beneficiary.objects.filter(pk=person.pk).update(first_name="Autre")
    assert read_version(Beneficiary.objects.get(pk=person.pk)) != before


def test_the_version_shows_no_value_and_covers_many_to_many_links(world):
    from piis.contracts.models import Objective

    objective = Objective.objects.filter(pk__in=world.ids["objective_id"]).first()
    token = read_version(objective)
    assert objective.title not in token and str(objective.due_on) not in token
    objective.assessment_items.clear()
    assert read_version(Objective.objects.get(pk=objective.pk)) != token


def test_a_post_without_the_version_is_not_compared_but_a_wrong_one_is_refused(world):
    """No hidden input at all is not a page of the app (a script); a tampered or older one is stale."""
    from piis.cases.models import HouseholdMember

    person, kind, record_id = next(r for r in world.records if r[1] == "household")
    member = HouseholdMember.objects.get(pk=record_id)
    client = _client(world.members[Role.SOCIAL_WORKER])
    url = reverse("cases:record_edit", args=[person, kind, record_id])
    born = member.birth_date.isoformat() if member.birth_date else ""
    data = {"name": "Nom sans version", "relation": member.relation, "birth_date": born}
    assert client.post(url, data).status_code == 302
    data |= {"name": "Nom avec une version fausse", TOKEN_NAME: "1:0000000000"}
    response = client.post(url, data)
    assert response.status_code == 200 and "nothing has been saved" in response.content.decode()
    assert HouseholdMember.objects.get(pk=record_id).name == "Nom sans version"


def test_values_are_shown_as_a_person_reads_them():
    from piis.core.concurrency import display_value

    assert display_value(None) == "(empty)"
    assert display_value(True) == "yes"
    assert display_value(datetime.date(2026, 3, 9)) == "09/03/2026"
    assert display_value(["a", "b"]) == "a, b"
    assert display_value(Decimal("12.50")) == "12.50"
    assert len(display_value("x" * 1000)) <= 200


def test_a_field_digest_is_the_salted_hmac_of_the_field_under_the_current_secret_key(settings):
    """The digest's key is derived once per secret key, not once per field: the digests stay salted_hmac's to the
    byte (pages read before the change are not stale), and another secret key gives other digests."""
    from django.utils.crypto import salted_hmac

    from piis.core import concurrency

    def expected(name, value):
        return salted_hmac(concurrency._SALT, f"{name}\x1f{value}").hexdigest()[:10]

    for name, value in [("title", '"\u00c9valuation \u2713"'), ("due_on", "null"), ("done", "")]:
        assert concurrency._digests([(name, value)]) == [expected(name, value)]
    before = concurrency._digests([("title", '"x"')])
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789abcdef"
    assert concurrency._digests([("title", '"x"')]) == [expected("title", '"x"')] != before


def test_a_version_is_the_same_as_computed_field_by_field_with_json_and_salted_hmac(world):
    """read_version's shortcuts (fields, JSON encoder and key worked out once) change no token."""
    import json

    from django.utils.crypto import salted_hmac

    from piis.contracts.models import Clause, Objective
    from piis.core import concurrency

    def by_hand(instance):
        digests = []
        for field in concurrency._fields(type(instance)):
            if field.many_to_many:
                value = ",".join(str(pk) for pk in sorted(getattr(instance, field.name).values_list("pk", flat=True)))
            else:
                value = json.dumps(field.get_prep_value(getattr(instance, field.attname)), sort_keys=True, default=str)
            digests.append(salted_hmac(concurrency._SALT, f"{field.name}\x1f{value}").hexdigest()[:10])
        return "1:" + "-".join(digests)

    instances = [*Objective.objects.all()[:3], *Clause.objects.all()[:3]]
    assert instances
    for instance in instances:
        assert read_version(instance) == by_hand(instance)
