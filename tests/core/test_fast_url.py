"""{% url %} (core.templatetags.fast_url, a builtin of every template) gives what Django's tag gives: for every named
URL of the site whose arguments are whole numbers, with strings written in the template, with `as`, with keyword
arguments, with values it does not keep; and the same errors."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.utils import translation

from piis.core.templatetags.fast_url import FastURLNode


def _named_patterns(patterns=None, namespace: str = ""):
    """(name, its converters in order) of every named pattern of the site."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", list(getattr(pattern.pattern, "converters", {}).values())


def _render(source: str, **values) -> str:
    return Template(source).render(Context(values))


def test_the_site_s_templates_get_the_fast_tag():
    assert isinstance(Template("{% url 'core:home' %}").nodelist[0], FastURLNode)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_every_url_of_whole_numbers_is_the_one_django_reverses(language):
    numbered = [(name, len(c)) for name, c in _named_patterns() if all(isinstance(x, IntConverter) for x in c)]
    assert len(numbered) > 100  # the site's pages, not a handful
    with translation.override(language):
        for name, count in numbered:
            for numbers in ([0] * count, [7 + i for i in range(count)], [123456789 + i for i in range(count)]):
                source = "{% url name " + " ".join(f"n{i}" for i in range(count)) + " %}"
                values = {f"n{i}": n for i, n in enumerate(numbers)}
                for _ in range(2):  # reversed the first time, from memory the next
                    assert _render(source, name=name, **values) == reverse(name, args=numbers), name


def test_strings_written_in_the_template_and_numbers_together():
    for kind in ("household", "assistant", "ri", "period", "exemption"):
        source = "{% url 'cases:record_create' pk '" + kind + "' %}"
        assert _render(source, pk=42) == reverse("cases:record_create", args=[42, kind])


def test_what_it_does_not_keep_is_django_s_tag_unchanged():
    kind = "household"
    assert _render("{% url 'cases:record_create' pk kind %}", pk=5, kind=kind) == reverse(
        "cases:record_create", args=[5, kind]
    )  # a string from a variable
    by_keyword = reverse("cases:detail", kwargs={"beneficiary_id": 3})
    assert _render("{% url 'cases:detail' beneficiary_id=3 %}") == by_keyword
    assert _render("{% url 'cases:detail' 9 as link %}[{{ link }}]") == f"[{reverse('cases:detail', args=[9])}]"
    assert _render("{% url 'cases:detail' pk %}", pk="12") == reverse("cases:detail", args=["12"])
    with pytest.raises(NoReverseMatch):
        _render("{% url 'cases:detail' pk %}", pk=-1)
    with pytest.raises(NoReverseMatch):
        _render("{% url 'no:such' 1 %}")
    assert _render("{% url 'no:such' 1 as link %}[{{ link }}]") == "[]"


def test_the_rows_made_in_python_get_the_same_urls():
    from piis.core.templatetags.fast_url import numbered_url
    from piis.www.rows import pk_url

    assert pk_url("cases:detail", 42) == reverse("cases:detail", args=[42])
    expected = reverse("cases:record_edit", args=[3, "period", 9])
    for _ in range(2):  # reversed the first time, from memory the next
        assert numbered_url("cases:record_edit", (3, "period", 9)) == expected
    with pytest.raises(NoReverseMatch):
        numbered_url("cases:detail", (-1,))


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_pages_url_maker_gives_what_django_reverses(language):
    from piis.core.templatetags.fast_url import pk_url_maker

    with translation.override(language):
        for name, converters in _named_patterns():
            if len(converters) != 1 or not isinstance(converters[0], IntConverter):
                continue
            make = pk_url_maker(name)
            for pk in (0, 7, 123456789):
                assert make(pk) == reverse(name, args=[pk]), name
            assert make("12") == reverse(name, args=[12])  # a key given as text is made a number, as pk_url does
            with pytest.raises(NoReverseMatch):
                make(-1)
