"""Numbers, units and lists as the active language writes them.

One mechanism for every card, detail page, section and map label: a number
takes the language's grouping (hub/formats holds what Django's own locale
formats lack), a unit its translated symbol, a list its language's separator
(the Arabic comma "،" in Arabic). JSON keeps plain numbers; this is for HTML.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy

# A no-break space keeps a number and its unit on one line, in either direction.
NUMBER_UNIT_SPACE = "\u00a0"

UNITS = {
    # Translators: the unit symbol for kilograms after a number, e.g. "كغ" in Arabic.
    "kg": (gettext_lazy("kg"), gettext_lazy("kilograms")),
}


def number_display(value) -> str:
    """A whole number grouped in thousands as the active language groups them ("47,000", "47.000")."""
    if value in (None, ""):
        return ""
    return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


def unit_symbol(unit: str) -> str:
    """The active language's symbol for `unit` ("kg" is "كغ" in Arabic); unknown units as given."""
    return str(UNITS[unit][0]) if unit in UNITS else unit


def unit_name(unit: str) -> str:
    """The unit spelled out, for an <abbr title>."""
    return str(UNITS[unit][1]) if unit in UNITS else unit


def quantity_display(value, unit: str) -> str:
    """A grouped number followed by its translated unit symbol ("14.500 kg", "14,500 كغ")."""
    if value in (None, ""):
        return ""
    return f"{number_display(value)}{NUMBER_UNIT_SPACE}{unit_symbol(unit)}" if unit else number_display(value)


def list_separator() -> str:
    """What separates the items of a list in the active language: ", " or the Arabic "، "."""
    # Translators: the separator between list items, e.g. "Prato, Italy"; Arabic uses "، ".
    return gettext(", ")


def list_display(items: Iterable) -> str:
    """Items joined with the active language's list separator; empty items are left out."""
    return list_separator().join(str(item) for item in items if item not in (None, ""))
