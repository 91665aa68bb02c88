"""Fieldwork rules as pure Python (no Django, no other Heed app): data-quality flags and CATI scheduling.

The fieldwork app calls these functions with plain values (durations, answers, times, coordinates) and stores
what they return. Each module cites the rule's source (capabilities research section b, a paper or a peer
package) and is tested with the research's values in ``tests/fieldwork_rules``.

* :mod:`.flags`: flag codes and the :class:`~.flags.Flag` value; flags are values, never deletions.
* :mod:`.hours`: opening or calling hours per weekday, evaluated in a time zone.
* :mod:`.speeding`, :mod:`.straight_lining`, :mod:`.duplicates`, :mod:`.gps`, :mod:`.timing`: the checks.
* :mod:`.cati`: call outcomes with AAPOR codes, retry rules, attempt limits, refusals and appointments.
"""
