"""One label registry: stored keys become the labels people read, on pages and in the API's labels."""

from __future__ import annotations

from heed.analytics.selectors import metric_rows
from heed.core import labels
from heed.core.channels import Channel
from heed.responses.services import Submission, response_submit
from heed.surveys.selectors import option_labels
from heed.surveys.services import survey_publish
from tests.conftest import VALID_INTERCEPT, api_client


def test_the_registry_labels_known_keys_and_humanizes_unknown_ones():
    assert labels.channel_label("intercept") == "Interviewer intercept"
    assert labels.channel_label("qr") == "QR code (in store)"
    assert labels.touchpoint_label("returns_refunds") == "Returns & refunds"
    assert labels.touchpoint_label("home_delivery") == "Home delivery"  # nobody labelled it: readable anyway
    assert labels.touchpoint_label("") == labels.touchpoint_label(None) == "(none)"
    assert labels.operator_label("lte") == "is at most" and labels.operator_label("not_in") == "is none of"
    assert labels.language_label("hr") == "Croatian" and labels.language_label("unknown") == "Not detected"
    assert labels.question_type_label("single_choice") == "Single choice"
    assert labels.humanize("click-and-collect") == "Click and collect"
    assert set(labels.CHANNELS) == set(Channel.values)  # every channel has its label


def test_option_labels_come_from_the_definition_in_the_readers_language(world):
    assert option_labels(organisation_id=world.org.id, question_type="gender", language="it")["na"] == (
        "Preferisco non rispondere"
    )
    english = option_labels(organisation_id=world.org.id, question_type="gender", language="et")  # not in survey
    assert english["na"] == "Prefer not to say" and english["female"] == "Female"
    assert option_labels(organisation_id=world.org.id, question_key="did_buy")["no"] == "No"


def test_a_relabelled_option_shows_its_newest_label(world):
    question = world.survey.questions.get(key="gender")
    question.options = [
        {**o, "labels": {**o["labels"], "en": "Would rather not say"}} if o["value"] == "na" else o
        for o in question.options
    ]
    question.save()
    survey_publish(survey=world.survey, actor=world.analyst)
    assert option_labels(organisation_id=world.org.id, question_type="gender")["na"] == "Would rather not say"


def test_breakdowns_and_the_api_give_labels_not_keys(world):
    for channel, touchpoint, age in (("intercept", "returns_refunds", "25-34"), ("qr", "", "65+")):
        response_submit(
            submission=Submission(survey=world.survey, language="hr", unit=world.store_a, channel=channel,
                                  touchpoint=touchpoint),
            raw_answers=VALID_INTERCEPT | {"age_group": age},
        )  # fmt: skip
    by = {d: {r.key: r.label for r in metric_rows(user=world.analyst, dimension=d)} for d in ("channel", "touchpoint")}
    assert by["channel"] == {"intercept": "Interviewer intercept", "qr": "QR code (in store)"}
    assert by["touchpoint"] == {"returns_refunds": "Returns & refunds", "": "(none)"}
    language = {r.key: r.label for r in metric_rows(user=world.analyst, dimension="language")}
    assert language == {"hr": "Croatian"}
    world.analyst.language = "it"  # option labels in the reader's language
    gender = {r.key: r.label for r in metric_rows(user=world.analyst, dimension="gender")}
    assert gender == {"female": "Donna"}
    body = api_client(world.analyst).get("/api/metrics", {"group_by": "channel"}).json()
    assert {row["key"]: row["label"] for row in body["rows"]} == by["channel"]
