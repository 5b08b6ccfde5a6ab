"""The audit trail's action filter renders its ~150 options once per language and selection (issue 15), with the
same options, groups and selection as Django's own select."""

from html.parser import HTMLParser

from django import forms
from django.utils import translation

from piis.audit.enums import AuditVerb
from piis.audit.forms import AuditFilterForm, GroupedSelect


class _Options(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.group, self.select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.select = attrs
        elif tag == "optgroup":
            self.group = attrs["label"]
        elif tag == "option":
            self.rows.append((self.group, attrs["value"], "selected" in attrs))

    def handle_endtag(self, tag):
        if tag == "optgroup":
            self.group = None


def _parse(markup: str) -> _Options:
    parser = _Options()
    parser.feed(str(markup))
    return parser


def _both(value):
    form = AuditFilterForm({"verb": value} if value is not None else None)
    field = form["verb"]
    plain = forms.Select(choices=form.fields["verb"].choices)
    return field.as_widget(), plain.render("verb", value, attrs={"id": "id_verb"})


def test_same_options_groups_and_selection_as_django_select():
    assert isinstance(AuditFilterForm().fields["verb"].widget, GroupedSelect)
    for value in (None, "", AuditVerb.FILE_OPENED.value, "not-an-action"):
        ours, django = _both(value)
        ours_parsed, django_parsed = _parse(ours), _parse(django)
        assert len(ours_parsed.rows) > 100
        assert ours_parsed.rows == django_parsed.rows
        assert ours_parsed.select["name"] == "verb" and ours_parsed.select["id"] == "id_verb"
    selected = [row for row in _parse(_both(AuditVerb.FILE_OPENED.value)[0]).rows if row[2]]
    assert [row[1] for row in selected] == [AuditVerb.FILE_OPENED.value]


def test_options_follow_the_language_and_escape_labels():
    with translation.override("fr"):
        french = str(AuditFilterForm()["verb"])
    with translation.override("nl"):
        dutch = str(AuditFilterForm()["verb"])
    with translation.override("fr"):
        assert str(AuditFilterForm()["verb"]) == french  # served from the cache, still French
    assert french != dutch
    with translation.override("fr"):
        assert str(AuditVerb.FILE_OPENED.label) in french


def test_the_action_column_reads_as_get_verb_display():
    from piis.audit.models import AuditEvent
    from piis.audit.templatetags.audit_tags import audit_verb

    for language in ("fr", "nl", "en"):
        with translation.override(language):
            for verb in (AuditVerb.FILE_OPENED, AuditVerb.AUDIT_EXPORTED):
                assert audit_verb(verb.value) == AuditEvent(verb=verb.value).get_verb_display()
            assert audit_verb("retired_code") == AuditEvent(verb="retired_code").get_verb_display() == "retired_code"
