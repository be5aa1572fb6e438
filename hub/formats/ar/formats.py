# Arabic as the Hub writes it, with Latin digits: Django's own Arabic formats
# leave NUMBER_GROUPING at 0, so "47000" went ungrouped. These are CLDR's
# symbols for Arabic with Latin digits ("47,000.5"); the rest comes from Django.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
