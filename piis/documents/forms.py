from django import forms
from django.utils.translation import gettext_lazy as _

from piis.accounts.enums import Language
from piis.cases.models import Assistant
from piis.core.dates import DateKind
from piis.core.forms import RangedDateField, ReadVersionMixin, ScanField, model_form_fields
from piis.documents.enums import SENSITIVE_DOCUMENT_KINDS, DocumentKind, LetterKind
from piis.documents.models import ContractOutcome, Explanation, LetterTemplate


def _choices(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class DocumentForm(forms.Form):
    """A document for a file, or for one of its contracts (then it may prove a step or a commitment)."""

    kind = forms.ChoiceField(label=_("Type"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    dated_on = RangedDateField(label=_("Date of the document"), kind=DateKind.HAPPENED)
    file = ScanField(label=_("File (PDF or image)"))
    step = forms.TypedChoiceField(label=_("Proof of the step"), required=False, coerce=int, empty_value=None)
    clause = forms.TypedChoiceField(
        label=_("Proof of the commitment delivered"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, steps=None, clauses=None, sensitive_allowed: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not sensitive_allowed:
            _choices(self, "kind").choices = [c for c in DocumentKind.choices if c[0] not in SENSITIVE_DOCUMENT_KINDS]
        if steps is None:
            del self.fields["step"]
        else:
            _choices(self, "step").choices = [("", "—"), *[(s.pk, s.description[:80]) for s in steps]]
        if clauses is None:
            del self.fields["clause"]
        else:
            _choices(self, "clause").choices = [("", "—"), *[(c.pk, c.text[:80]) for c in clauses]]


class LetterForm(forms.Form):
    """What a letter needs besides the file: its language, its date, and per kind the evaluation's date, time and
    place or the meeting request it confirms."""

    language = forms.ChoiceField(label=_("Language of the letter"), choices=Language.choices)
    sent_on = RangedDateField(label=_("Date of the letter"), kind=DateKind.HAPPENED)
    meeting_on = RangedDateField(label=_("Date of the evaluation"), kind=DateKind.PLANNED, required=False)
    meeting_time = forms.TimeField(label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    meeting_place = forms.CharField(label=_("Place"), max_length=200, required=False)
    meeting_request = forms.TypedChoiceField(label=_("Meeting request"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, kind: str, meeting_requests=(), **kwargs):
        super().__init__(*args, **kwargs)
        if kind != LetterKind.EVALUATION_INVITATION:
            for name in ("meeting_on", "meeting_time", "meeting_place"):
                del self.fields[name]
        else:
            for name in ("meeting_on", "meeting_time", "meeting_place"):
                self.fields[name].required = True
        if kind != LetterKind.MEETING_CONFIRMATION:
            del self.fields["meeting_request"]
        else:
            self.fields["meeting_request"].required = True
            _choices(self, "meeting_request").choices = [
                (m.pk, f"{m.requested_on:%d/%m/%Y}" + (f" — {m.subject}" if m.subject else ""))
                for m in meeting_requests
            ]


class LetterTemplateForm(ReadVersionMixin, forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["subject", "body"]
        formfield_callback = model_form_fields()
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}


class ExplanationForm(ReadVersionMixin, forms.ModelForm):
    class Meta:
        model = Explanation
        fields = ["orally", "language", "interpreter", "assistant"]
        formfield_callback = model_form_fields()

    def __init__(self, *args, assistants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assistant"].queryset = assistants if assistants is not None else Assistant.objects.none()
        self.fields["language"].help_text = _("The language the person was spoken to in, e.g. Arabic, French.")


class OutcomeForm(ReadVersionMixin, forms.ModelForm):
    class Meta:
        model = ContractOutcome
        fields = ["outcome", "destination"]
        formfield_callback = model_form_fields()
