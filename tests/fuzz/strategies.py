"""Hostile input for the fuzz test: what a browser would send, what a careless paste would, and what an attacker
would; for one form field, a whole form, or a query string."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

from tests.fuzz.routes import Field, Form

# Strings that have broken web apps: NUL and other control characters, markup and template syntax, formulas,
# SQL, format strings, bidirectional overrides, zero-width and combining characters, emoji, non-BMP scripts,
# digits of other scripts (which Python's int() accepts), invisible and full-width look-alikes.
SPECIMENS = (
    "\x00",
    "a\x00b",
    "\x00" * 3 + "2026-01-01",
    "\x01\x02\x1b[31m\x7f",
    "line\r\nbreak\rcarriage\x0bvertical\x0cfeed",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ request.user }}{% debug %}",
    "${7*7}%s%d%(name)s{0}{}",
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "'; DROP TABLE cases_beneficiary; --",
    "\u202eevil\u202c",
    "\u200b\u200c\u200d\ufeff",
    "e\u0301\u0301\u0301\u0301\u0301",
    "\U0001f600\U0001f46a\U0001f3f3\ufe0f\u200d\U0001f308",
    "\U00020000\U0002a6d6",
    "١٢٣",
    "１２３",
    "\ufffd",
    "\u00a0",
    "   ",
    "",
    "null",
    "None",
    "true",
    "[]",
    "{}",
    "../../../../etc/passwd",
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "travail d\u2019int\u00e9r\u00eat g\u00e9n\u00e9ral",
)
DATES = (
    "0001-01-01",
    "9999-12-31",
    "1900-01-01",
    "1899-12-31",
    "1970-01-01",
    "2000-02-29",
    "2026-02-29",
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "0000-00-00",
    "10000-01-01",
    "-2026-01-01",
    "31/12/9999",
    "01/01/0001",
    "29/02/2026",
    "32/01/2026",
    "2026-1-1",
    "2026-11-27T25:61",
    "2026-11-27",
    "2026-01-10",
    "2026-03-09",
    "3000-01-01",
)
NUMBERS = (
    "0",
    "-1",
    "-0",
    "1.5",
    "1,5",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999999999999999",
    "0x10",
    "1_000",
    "١٢",
    "１２",
    "-1314.20",
    "1314.205",
    "999999999.99",
)

specimen = st.sampled_from(SPECIMENS)
# Long text: a specimen repeated (up to some 150 000 characters), or free unicode (no lone surrogates: they cannot be
# encoded in UTF-8, so no browser can send one).
long_text = st.builds(lambda s, n: (s or "x") * n, specimen, st.integers(min_value=50, max_value=4_000))
unicode_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
hostile_text = st.one_of(specimen, unicode_text, long_text, st.builds(lambda a, b: a + b, unicode_text, specimen))
hostile_date = st.one_of(
    st.sampled_from(DATES),
    st.dates().map(datetime.date.isoformat),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
)
hostile_number = st.one_of(st.sampled_from(NUMBERS), st.integers().map(str), st.floats().map(str))
any_hostile = st.one_of(hostile_text, hostile_date, hostile_number)

PLAUSIBLE = {"date": "2026-11-20", "number": "1", "email": "a@example.org", "tel": "+32 2 123 45 67"}


def _plausible(f: Field) -> str | list[str]:
    """A value the form would likely accept, so that a draw gets past the easy refusals and into the services: the
    page's own value, else every box of a checkbox group ticked, the first real option, or a plain value."""
    if f.kind == "checkbox":
        return list(f.options)
    if f.value:
        return f.value
    if f.options:
        choices = [o for o in f.options if o]
        return choices[0] if choices else ""
    return PLAUSIBLE.get(f.kind, "Texte ordinaire")


def _plausible_str(f: Field) -> str:
    value = _plausible(f)
    if isinstance(value, list):
        return value[0] if value else ""
    return value


def baseline_data(form: Form) -> dict:
    """The form as a person would send it after filling in what was empty."""
    return {f.name: _plausible(f) for f in form.fields.values() if f.kind != "file"}


def _hostile_for(f: Field):
    if f.kind in ("date", "datetime-local"):
        return hostile_date
    if f.kind == "number":
        return hostile_number
    if f.options:
        return st.one_of(st.sampled_from(f.options), any_hostile)
    return hostile_text


def _upload():
    # A name of dots or nothing cannot even be built client-side (Django refuses it before anything is sent).
    return st.builds(
        lambda name, body, kind: SimpleUploadedFile(
            name if name.strip(". /") else f"x{name}", body, content_type=kind
        ),
        st.one_of(st.sampled_from(["scan.pdf", "scan.jpg", "x.exe", ".pdf", "a\x00b.pdf", "é" * 300]), specimen),
        st.one_of(st.binary(max_size=200), st.just(b"%PDF-1.4\n%fuzz\n")),
        st.sampled_from(["application/pdf", "image/jpeg", "text/html", "application/octet-stream", ""]),
    )


def field_value(f: Field):
    """One field: kept as the page had it, a plausible value, something hostile for its kind, or of another kind."""
    if f.kind == "file":
        return st.one_of(st.just(""), _upload(), hostile_text)
    if f.kind == "select-multiple":
        return st.lists(st.one_of(st.sampled_from(f.options or ("",)), any_hostile), max_size=4)
    return st.one_of(
        st.just(_plausible(f)),
        st.just(_plausible(f)),
        _hostile_for(f),
        any_hostile,
    )


def _extra(draw, data: dict, extra_keys: tuple[str, ...]) -> dict:
    keys = st.one_of(st.sampled_from(extra_keys or ("x",)), hostile_text.filter(bool))
    for key in draw(st.lists(keys, max_size=3)):
        data[key] = draw(st.one_of(any_hostile, st.lists(any_hostile, max_size=3)))
    return data


@st.composite
def one_field_off(draw, form: Form | None, extra_keys: tuple[str, ...] = ()):
    """The form as a person would fill it, but for one field: hostile for its kind, of another kind, missing or
    duplicated. Every other field being right, the odd value reaches the cross-field checks and the services."""
    data = baseline_data(form) if form else {}
    fields = list(form.fields.values()) if form else []
    if fields:
        f = draw(st.sampled_from(fields))
        how = draw(st.sampled_from(("hostile", "hostile", "hostile", "other kind", "missing", "duplicated")))
        if how == "missing":
            data.pop(f.name, None)
        elif how == "duplicated":
            data[f.name] = [_plausible_str(f), draw(_hostile_for(f))]
        elif f.kind == "file":
            data[f.name] = draw(_upload())
        else:
            data[f.name] = draw(_hostile_for(f) if how == "hostile" else any_hostile)
    if draw(st.booleans()):
        return data
    return _extra(draw, data, extra_keys)


@st.composite
def any_form_data(draw, form: Form | None, extra_keys: tuple[str, ...] = ()):
    """A whole submission: each field present, missing or duplicated; sometimes fields the form does not have."""
    data: dict[str, object] = {}
    fields = list(form.fields.values()) if form else []
    for f in fields:
        presence = draw(st.sampled_from(("present", "present", "present", "missing", "duplicated")))
        if presence == "missing":
            continue
        value = draw(field_value(f))
        if presence == "duplicated" and not isinstance(value, list):
            value = [value, draw(field_value(f))]
        data[f.name] = value
    return _extra(draw, data, extra_keys)


def form_data(form: Form | None, extra_keys: tuple[str, ...] = ()):
    return st.one_of(one_field_off(form, extra_keys), any_form_data(form, extra_keys))
