from piis.core.templatetags.piis_tags import css_string


def test_css_string_keeps_spaces_and_accents_and_escapes_what_could_break_out():
    assert css_string("CPAS de Beaumont-les-Prés (démo)") == "CPAS de Beaumont-les-Prés (démo)"
    assert css_string('a"b\\c</style>') == 'a\\"b\\\\c\\3C /style\\3E '
