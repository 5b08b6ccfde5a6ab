"""`{% static "literal" %}` keeps its URL (piis.core.templatetags.fast_static): the storage's URL, as Django's tag
gives it, for every such tag of every template; the settings that shape it are followed; anything else is Django's."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, engines
from django.templatetags.static import StaticNode
from django.test import override_settings

from piis.core.templatetags.fast_static import KeptStaticNode


def _static_nodes():
    engine = engines["django"]
    for folder in (Path(settings.BASE_DIR) / "piis").glob("**/templates"):
        for path in folder.glob("**/*.html"):
            template = engine.get_template(str(path.relative_to(folder))).template
            yield from template.nodelist.get_nodes_by_type(StaticNode)


def test_every_literal_static_of_every_template_gives_djangos_url():
    nodes = list(_static_nodes())
    assert len(nodes) >= 3 and all(isinstance(node, KeptStaticNode) for node in nodes)
    for node in nodes:
        for _ in range(2):  # asked, then kept
            assert node.render(Context()) == StaticNode.render(node, Context())


def test_the_kept_url_follows_the_static_settings():
    template = engines["django"].from_string('{% load static %}{% static "css/piis.css" %}')
    before = template.render({})
    with override_settings(STATIC_URL="/elsewhere/"):
        assert template.render({}).startswith("/elsewhere/")
    assert template.render({}) == before


@pytest.mark.parametrize("source", ["{% static path %}", '{% static "css/piis.css" as url %}{{ url }}'])
def test_a_static_that_depends_on_the_page_is_djangos_tag(source):
    template = engines["django"].from_string("{% load static %}" + source).template
    [node] = template.nodelist.get_nodes_by_type(StaticNode)
    assert type(node) is StaticNode
