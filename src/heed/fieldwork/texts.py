"""What the fieldwork pages show in words, in the reader's language: a flag's detail as a sentence with units,
a quota's conditions with question and option labels, question texts for keys, and the pure rules' opening-hours
errors (``heed.fieldwork_rules`` cannot use Django, so its error kinds are worded here)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils import formats, translation
from django.utils.translation import gettext, ngettext

from heed.fieldwork_rules.hours import HoursError

if TYPE_CHECKING:
    from heed.surveys.definition import QuestionDef, SurveyDefinition


def _language(definition: SurveyDefinition) -> str:
    """The reader's language when the survey has it, else the survey's default (its texts' fallback)."""
    current = (translation.get_language() or "")[:2]
    return current if current in definition.languages else definition.default_language


def _number(value: object, places: int = 0) -> str:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    return str(formats.number_format(round(number, places), places if places and number % 1 else 0))


def metres_text(value: object) -> str:
    """A distance: ``300 m`` below a kilometre, else ``5.3 km`` (numbers in the reader's format)."""
    try:
        metres = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    if abs(metres) < 1000:
        return gettext("%(value)s m") % {"value": _number(metres)}
    return gettext("%(value)s km") % {"value": _number(metres / 1000, 1)}


def seconds_text(value: object) -> str:
    """A duration: ``293 s`` below ten minutes, ``12 min`` below two hours, else ``3.5 h``."""
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    if abs(seconds) < 600:
        return gettext("%(value)s s") % {"value": _number(seconds)}
    if abs(seconds) < 7200:
        return gettext("%(value)s min") % {"value": _number(seconds / 60)}
    return gettext("%(value)s h") % {"value": _number(seconds / 3600, 1)}


def _local_time(value: object) -> str:
    return str(value).replace("T", " ")


def _inside(value: object) -> str:
    return gettext("within opening hours") if value else gettext("outside opening hours")


def _location_status(value: object) -> str:
    labels = {"denied": gettext("the interviewer's device refused access to the location"),
              "unavailable": gettext("the device found no location"),
              "missing": gettext("the device sent no location")}  # fmt: skip
    return labels.get(str(value), str(value))


def question_label(definition: SurveyDefinition | None, key: str) -> str:
    """The text of question ``key`` in the reader's language (the survey's default as fallback); the key itself
    when the definition has no such question."""
    if definition is None:
        return key
    question = _question(definition, key)
    return question.text(_language(definition), definition.default_language) if question is not None else key


def _question(definition: SurveyDefinition, key: str) -> QuestionDef | None:
    return next((q for q in definition.questions if q.key == key), None)


def _questions(definition: SurveyDefinition | None, keys: object) -> str:
    return ", ".join(question_label(definition, key.strip()) for key in str(keys).split(",") if key.strip())


def flag_detail_text(code: str, detail: Mapping[str, Any], definition: SurveyDefinition | None = None) -> str:
    """A flag's ``detail`` as one sentence with labelled values and units, e.g. ``Distance from the unit:
    5.3 km (allowed 300 m)``; "" when the flag has nothing more to say. Missing values show as "?"."""
    d = {key: ("?" if value is None else value) for key, value in detail.items()}
    try:
        return _flag_detail_text(code, d, definition)
    except KeyError:
        return "; ".join(f"{key}: {value}" for key, value in d.items())


def _flag_detail_text(code: str, d: Mapping[str, Any], definition: SurveyDefinition | None) -> str:
    if code == "speeding":
        n = int(d["comparable_n"]) if str(d["comparable_n"]).isdigit() else 0
        return ngettext(
            "Duration %(duration)s; median of %(n)s comparable interview %(median)s (flagged below %(threshold)s)",
            "Duration %(duration)s; median of %(n)s comparable interviews %(median)s (flagged below %(threshold)s)",
            n,
        ) % {"duration": seconds_text(d["duration_seconds"]), "n": n, "median": seconds_text(d["median_seconds"]),
             "threshold": seconds_text(d["threshold_seconds"])}  # fmt: skip
    if code == "straight_lining":
        text = gettext("The same answer %(run)s times in a row on %(items)s questions (spread of answers %(irv)s)") % {
            "run": d["longest_run"], "items": d["items"], "irv": _number(d["irv"], 2)}  # fmt: skip
        if "questions" in d:
            text += "; " + gettext("questions: %(questions)s") % {"questions": _questions(definition, d["questions"])}
        return text
    if code == "possible_duplicate":
        text = gettext("Like interview %(other)s: %(agreement)s%% of the closed answers are the same; "
                       "started %(apart)s apart") % {
            "other": d.get("other_response_id", d.get("other_interview_id", "?")),
            "agreement": _number(float(d["closed_agreement"]) * 100 if d["closed_agreement"] != "?" else "?"),
            "apart": seconds_text(d["seconds_apart"])}  # fmt: skip
        if d.get("text_similarity", "?") != "?":
            text += "; " + gettext("text answers %(similarity)s%% alike") % {
                "similarity": _number(float(d["text_similarity"]) * 100)}  # fmt: skip
        return text
    if code == "out_of_area":
        return gettext("Distance from the unit: %(distance)s (allowed %(radius)s); GPS accuracy ± %(accuracy)s") % {
            "distance": metres_text(d["distance_m"]), "radius": metres_text(d["radius_m"]),
            "accuracy": metres_text(d["accuracy_m"])}  # fmt: skip
    if code == "mock_location_suspected":
        return gettext("The device gave its location as accurate to %(accuracy)s, which a real GPS fix never is") % {
            "accuracy": metres_text(d["accuracy_m"])}  # fmt: skip
    if code == "no_location":
        return gettext("No location: %(reason)s") % {"reason": _location_status(d["status"])} if "status" in d else ""
    if code == "clock_skew":
        return gettext("The device clock put the end %(ahead)s after the server received the interview") % {
            "ahead": seconds_text(d["ended_after_receipt_seconds"])}  # fmt: skip
    if code == "outside_hours":
        return gettext("Local time at the unit: started %(start)s (%(start_inside)s), ended %(end)s "
                       "(%(end_inside)s)") % {
            "start": _local_time(d["local_start"]), "start_inside": _inside(d["start_inside"] is True),
            "end": _local_time(d["local_end"]), "end_inside": _inside(d["end_inside"] is True)}  # fmt: skip
    return "; ".join(f"{key}: {value}" for key, value in d.items())


def conditions_text(conditions: Mapping[str, Any], definition: SurveyDefinition | None = None) -> str:
    """A quota's conditions as people read them: ``Gender: female; Age: 18-24 or 25-34`` with the question texts
    and option labels of ``definition`` in the reader's language (keys and values when it lacks them);
    ``everyone`` for a quota without conditions."""
    if not conditions:
        return gettext("everyone")
    parts = []
    for key, values in conditions.items():
        labels: dict[str, str] = {}
        if definition is not None and (question := _question(definition, key)) is not None:
            labels = dict(question.choices(_language(definition), definition.default_language))
        shown = [labels.get(str(value), str(value)) for value in values]
        parts.append(gettext("%(question)s: %(values)s") % {"question": question_label(definition, key),
                                                              "values": gettext(" or ").join(shown)})  # fmt: skip
    return "; ".join(parts)


def hours_error_text(error: HoursError) -> str:
    """The pure rules' opening-hours error in the reader's language (by its ``kind``; params quoted)."""
    p = error.params
    messages = {
        "weekday": gettext("A weekday is out of range."),
        "reversed": gettext("%(day)s %(hours)s ends before it starts.")
        % {"day": p.get("day"), "hours": p.get("hours")},
        "overlap": gettext("%(day)s has hours that overlap.") % {"day": p.get("day")},
        "day": gettext("The day '%(day)s' must be one of mon, tue, wed, thu, fri, sat, sun or a range like mon-fri.")
        % {"day": p.get("key")},
        "day_range": gettext("The days '%(day)s' run backwards.") % {"day": p.get("key")},
        "format": gettext("The hours '%(hours)s' must look like 09:00-20:30.") % {"hours": p.get("hours")},
        "time": gettext("The hours '%(hours)s' hold a time that does not exist.") % {"hours": p.get("hours")},
        "never_open": gettext("The unit is never open."),
    }
    return messages.get(error.kind, gettext("The opening hours cannot be read."))
