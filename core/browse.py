"""Faceted browsing that every index page shares: the facet a page shows and how selections combine.

Within a facet, values combine with OR; across facets, with AND. A selection is
`{facet: {value, ...}}`; each index page counts and links its own rows with these.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    url: str


@dataclass
class Facet:
    key: str
    label: str
    values: list[FacetValue]
    open: bool = False


def selection_matches(values: dict[str, set[str]], selected: dict[str, set[str]], skip: str | None = None) -> bool:
    """Whether a row with these facet `values` passes every selected facet (but `skip`, whose counts it feeds)."""
    return all(values[key] & wanted for key, wanted in selected.items() if key != skip)


def selection_toggled(selected: dict[str, set[str]], key: str, value: str) -> dict[str, set[str]]:
    """A copy of `selected` with `value` of facet `key` added, or removed if it was there."""
    result = {facet: set(values) for facet, values in selected.items()}
    current = result.setdefault(key, set())
    current.symmetric_difference_update({value})
    if not current:
        del result[key]
    return result
