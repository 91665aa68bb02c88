"""Answer validation and skip logic against a survey definition."""

import pytest

from heed.surveys.answering import AnswerError, SubmissionError, clean_answer, clean_submission, visible_questions
from heed.surveys.definition import QuestionDef, SurveyDefinition


def _definition() -> SurveyDefinition:
    return SurveyDefinition.model_validate(
        {
            "title": "t",
            "default_language": "en",
            "languages": ["en", "it"],
            "questions": [
                {"key": "nps", "type": "nps", "required": True, "texts": {"en": "Recommend?"}, "metric": "nps"},
                {
                    "key": "did_buy",
                    "type": "single_choice",
                    "required": True,
                    "texts": {"en": "Bought?"},
                    "options": [{"value": "yes", "labels": {"en": "Yes"}}, {"value": "no", "labels": {"en": "No"}}],
                },
                {
                    "key": "why",
                    "type": "multiple_choice",
                    "required": True,
                    "texts": {"en": "Why not?"},
                    "options": [
                        {"value": "price", "labels": {"en": "Price"}},
                        {"value": "size", "labels": {"en": "Size"}},
                    ],
                    "show_if": {"question": "did_buy", "op": "eq", "value": "no"},
                },
                {
                    "key": "why_more",
                    "type": "text",
                    "texts": {"en": "Tell us more"},
                    "show_if": {"question": "why", "op": "in", "value": ["price"]},
                },
                {
                    "key": "low",
                    "type": "text",
                    "texts": {"en": "What went wrong?"},
                    "show_if": {"question": "nps", "op": "lte", "value": 6},
                },
                {"key": "visits", "type": "number", "texts": {"en": "Visits"}, "min": 0, "max": 100},
                {"key": "when", "type": "date", "texts": {"en": "When"}},
            ],
        }
    )


def test_scale_answers_are_integers_within_the_scale():
    nps = _definition().question("nps")
    assert clean_answer(nps, "10") == 10.0
    assert clean_answer(nps, 0) == 0.0
    with pytest.raises(AnswerError) as err:
        clean_answer(nps, "11")
    assert err.value.key == "out_of_range" and err.value.params == {"min": "0", "max": "10"}
    for bad in ("7.5", "seven", True, ["1"]):
        with pytest.raises(AnswerError):
            clean_answer(nps, bad)


def test_required_blank_is_an_error_and_optional_blank_is_none():
    definition = _definition()
    with pytest.raises(AnswerError) as err:
        clean_answer(definition.question("nps"), "  ")
    assert err.value.key == "required"
    assert clean_answer(definition.question("visits"), "") is None


def test_choices_numbers_dates_and_text():
    d = _definition()
    assert clean_answer(d.question("why"), ["size", "price"]) == ["price", "size"]  # option order kept
    with pytest.raises(AnswerError):
        clean_answer(d.question("why"), ["price", "colour"])
    with pytest.raises(AnswerError):
        clean_answer(d.question("did_buy"), "maybe")
    assert clean_answer(d.question("visits"), "2.5") == 2.5
    assert clean_answer(d.question("visits"), "2,5", language="it") == 2.5
    with pytest.raises(AnswerError):
        clean_answer(d.question("visits"), "101")
    assert clean_answer(d.question("when"), "2026-03-01") == "2026-03-01"
    with pytest.raises(AnswerError) as err:
        clean_answer(d.question("when"), "01/03/2026")
    assert err.value.key == "invalid_date"
    with pytest.raises(AnswerError) as err:
        clean_answer(QuestionDef(key="t", type="text", texts={"en": "x"}, max_length=5), "too long")
    assert err.value.key == "too_long"


def test_skip_logic_chains_and_hidden_answers_are_dropped():
    d = _definition()
    keys = [q.key for q in visible_questions(d, {"nps": 9.0, "did_buy": "yes"})]
    assert keys == ["nps", "did_buy", "visits", "when"]
    keys = [q.key for q in visible_questions(d, {"nps": 3.0, "did_buy": "no", "why": ["price"]})]
    assert keys == ["nps", "did_buy", "why", "why_more", "low", "visits", "when"]
    # A hidden question's answer is ignored, and hides what depends on it.
    cleaned = clean_submission(d, {"nps": 9, "did_buy": "yes", "why": ["price"], "why_more": "x"})
    assert cleaned == {"nps": 9.0, "did_buy": "yes"}


def test_submission_reports_every_bad_answer():
    with pytest.raises(SubmissionError) as err:
        clean_submission(_definition(), {"did_buy": "no", "ghost": 1})
    assert set(err.value.errors) == {"nps", "why", "ghost"}
    assert err.value.errors["nps"].key == "required"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"default_language": "de"}, "default language"),
        ({"questions": []}, "at least one question"),
    ],
)
def test_definition_rejects_inconsistent_surveys(change, message):
    data = {
        "title": "t",
        "default_language": "en",
        "languages": ["en"],
        "questions": [{"key": "a", "type": "text", "texts": {"en": "A"}}],
    } | change
    with pytest.raises(ValueError, match=message):
        SurveyDefinition.model_validate(data)


def test_condition_must_point_to_an_earlier_question():
    with pytest.raises(ValueError, match="must come earlier"):
        SurveyDefinition.model_validate(
            {
                "title": "t",
                "default_language": "en",
                "languages": ["en"],
                "questions": [
                    {"key": "a", "type": "text", "texts": {"en": "A"}, "show_if": {"question": "b", "op": "answered"}},
                    {"key": "b", "type": "text", "texts": {"en": "B"}},
                ],
            }
        )
