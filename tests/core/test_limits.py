"""Limits on what people type and upload (piis.core.forms): every text field of every form has a length limit the
form states, every upload is a ScanField (PDF, PNG or JPEG by its first bytes, of a bounded size)."""

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from piis.core.forms import LONG_TEXT_MAX_LENGTH, UPLOAD_MAX_MB, ScanField, model_form_fields
from tests.core.test_dates import form_classes

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


def _fields(cls: type[forms.BaseForm]) -> dict[str, forms.Field]:
    """The fields of a form as a user meets them: an instance's when it needs no arguments (fields completed in
    __init__, such as the login form's user name), else the class's declared and model fields."""
    try:
        return dict(cls().fields)
    except TypeError:  # the form needs its CPAS, contract…: its class fields
        return dict(cls.base_fields)


def test_every_text_field_of_every_form_has_a_length_limit():
    missing = [
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in form_classes()
        for name, field in _fields(cls).items()
        if isinstance(field, forms.CharField) and field.max_length is None
    ]
    assert missing == []


def test_a_long_text_field_states_its_limit_to_the_browser_and_in_its_error():
    class Form(forms.Form):
        text = forms.CharField(max_length=LONG_TEXT_MAX_LENGTH, widget=forms.Textarea)

    assert f'maxlength="{LONG_TEXT_MAX_LENGTH}"' in str(Form()["text"])
    form = Form({"text": "x" * (LONG_TEXT_MAX_LENGTH + 1)})
    with translation.override("fr"):
        assert not form.is_valid()
        assert str(LONG_TEXT_MAX_LENGTH) in form.errors["text"][0]


def test_a_model_text_field_unbounded_in_the_database_gets_the_form_limit():
    from piis.cases.models import RiDecision

    callback = model_form_fields()
    assert callback(RiDecision._meta.get_field("notes")).max_length == LONG_TEXT_MAX_LENGTH
    assert isinstance(callback(RiDecision._meta.get_field("category")), forms.TypedChoiceField)  # not free text


def test_every_upload_of_every_form_is_checked_for_size_and_type():
    uploads = [
        (cls.__name__, name, field)
        for cls in form_classes()
        for name, field in _fields(cls).items()
        if isinstance(field, forms.FileField)
    ]
    assert uploads, "the scan saw the signature form's scan"
    assert [(c, n) for c, n, field in uploads if not isinstance(field, ScanField)] == []


# --- the scan field ---------------------------------------------------------------------------------------------


class _ScanForm(forms.Form):
    scan = ScanField(required=False)


def _clean(name: str, content: bytes):
    form = _ScanForm({}, {"scan": SimpleUploadedFile(name, content)})
    form.is_valid()
    return form


@pytest.mark.parametrize(("name", "content"), [("a.pdf", PDF), ("b.PNG", PNG), ("c.jpg", JPEG), ("d.jpeg", JPEG)])
def test_a_pdf_png_or_jpeg_scan_is_accepted_and_can_be_read_from_the_start(name, content):
    form = _clean(name, content)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["scan"].read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),  # a program named .pdf
        ("page.png", b"<html><script>alert(1)</script>"),
        ("scan.pdf", PNG),  # the content and the name disagree
        ("scan.exe", PDF),
        ("scan.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
    ],
)
def test_a_file_that_is_not_a_pdf_png_or_jpeg_is_refused_whatever_its_name(name, content):
    form = _clean(name, content)
    with translation.override("en"):
        assert form.errors["scan"] == ["Upload a PDF, PNG or JPEG file."]


def test_a_scan_over_the_size_limit_is_refused_with_the_limit():
    form = _clean("big.pdf", PDF + b"0" * (UPLOAD_MAX_MB * 1024 * 1024))
    with translation.override("en"):
        assert form.errors["scan"] == [f"This file is too large: upload a file of at most {UPLOAD_MAX_MB} MB."]


def test_the_scan_field_states_its_limits():
    with translation.override("en"):
        assert str(_ScanForm().fields["scan"].help_text) == f"A PDF, PNG or JPEG file of at most {UPLOAD_MAX_MB} MB."
    assert 'accept=".pdf,.png,.jpg,.jpeg' in str(_ScanForm()["scan"])
