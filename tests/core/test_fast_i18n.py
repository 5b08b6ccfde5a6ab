"""`{% translate %}` of a literal is kept per language and escaping (piis.core.templatetags.fast_i18n): the same
text as Django's tag for every such tag of every template, in every language; anything else is Django's tag."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, engines
from django.templatetags.i18n import TranslateNode
from django.utils import translation
from django.utils.safestring import SafeData

from piis.core.templatetags.fast_i18n import KeptTranslateNode

ROOT = Path(settings.BASE_DIR) / "piis"


def _template_names() -> list[str]:
    names = []
    for folder in ROOT.glob("**/templates"):
        names += [str(path.relative_to(folder)) for path in folder.glob("**/*") if path.suffix in {".html", ".txt"}]
    return sorted(set(names))


def _translate_nodes():
    engine = engines["django"]
    for name in _template_names():
        template = engine.get_template(name).template
        for node in template.nodelist.get_nodes_by_type(TranslateNode):
            yield name, node


def test_every_literal_translate_of_every_template_gives_djangos_text():
    nodes = list(_translate_nodes())
    kept = [(name, node) for name, node in nodes if isinstance(node, KeptTranslateNode)]
    assert len(kept) > 500 and len(kept) > 0.9 * len(nodes)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for autoescape in (True, False):
                for name, node in kept:
                    ours = node.render(Context(autoescape=autoescape))
                    again = node.render(Context(autoescape=autoescape))  # from what the node kept
                    django = TranslateNode.render(node, Context(autoescape=autoescape))
                    assert ours == again == django, (name, node.token.contents, language)
                    assert isinstance(again, SafeData) == isinstance(django, SafeData), name


@pytest.mark.parametrize(
    "source",
    [
        "{% translate message %}",
        '{% translate "Log out" as label %}{{ label }}',
        '{% translate "Log out"|upper %}',
        '{% translate "May" context kind %}',
    ],
)
def test_a_translate_that_depends_on_the_page_is_djangos_tag(source):
    template = engines["django"].from_string("{% load i18n %}" + source).template
    [node] = template.nodelist.get_nodes_by_type(TranslateNode)
    assert type(node) is TranslateNode


def test_a_kept_translate_follows_the_language():
    template = engines["django"].from_string('{% load i18n %}{% translate "Log out" %}')
    for language in ("fr", "nl", "fr", "de", "en", "nl"):
        with translation.override(language):
            assert template.render({}) == translation.gettext("Log out")
    with translation.override("fr"):
        assert template.render({}) != translation.gettext_noop("Log out")
