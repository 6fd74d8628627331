"""Every interface string has its Malayalam (GIGW: language versions kept in step)."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "ml" / "LC_MESSAGES" / "django.po"


def test_the_malayalam_catalogue_has_no_empty_or_fuzzy_entry() -> None:
    entries = PO.read_text(encoding="utf-8").split("\n\n")[1:]  # the first is the header

    empty = [
        e
        for e in entries
        if re.search(r'^msgstr(\[\d\])? ""$', e, re.M)
        and not re.search(r'^msgstr(\[\d\])? ""\n"', e, re.M)
    ]
    fuzzy = [e for e in entries if "#, fuzzy" in e]

    assert empty == []
    assert fuzzy == []


def test_the_compiled_catalogue_is_used() -> None:
    with translation.override("ml"):
        assert translation.gettext("People") != "People"
