"""The demo organisation: shape, languages, built-in story, and answers valid for their surveys."""

import pytest
from django.core.management import call_command

from heed.accounts.models import Organisation, Unit
from heed.analytics.selectors import metric_rows
from heed.demo.calls import PHONE_INTERVIEWS
from heed.demo.fieldwork import FIELDWORK_INTERVIEWS
from heed.demo.seed import DEMO_SLUG
from heed.responses.models import Answer, Response
from heed.surveys.answering import clean_submission
from heed.surveys.selectors import version_definition


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("demo", responses=8000, seed=11, stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield Organisation.objects.get(slug=DEMO_SLUG)
        from heed.demo.reset import demo_delete

        demo_delete()


@pytest.mark.django_db
def test_demo_has_forty_stores_in_five_countries(demo):
    stores = Unit.objects.filter(organisation=demo, kind=Unit.Kind.STORE)
    assert stores.count() == 40
    assert set(stores.values_list("country", flat=True)) == {"IT", "HR", "BG", "EE", "IE"}
    assert all(store.parent.kind == Unit.Kind.REGION for store in stores)
    fieldwork = Response.objects.filter(organisation=demo, submitted_by__role="interviewer").count()
    assert fieldwork == FIELDWORK_INTERVIEWS  # synced from the demo interviewers' devices
    assert Response.objects.filter(organisation=demo).exclude(channel="phone").count() == 8000 + fieldwork
    assert Response.objects.filter(organisation=demo, channel="phone").count() == PHONE_INTERVIEWS  # the call list
    assert set(Response.objects.filter(organisation=demo).values_list("channel", flat=True)) >= {
        "qr",
        "intercept",
        "email",
        "transaction",
        "web",
    }


@pytest.mark.django_db
def test_demo_comments_come_in_six_languages_and_fit_their_scores(demo):
    from heed.demo.comment_bank import COMMENTS, STAFF_CRITICISM
    from heed.demo.scenario import STAFF_NAMES

    comments = Answer.objects.filter(response__organisation=demo, question_type="text").select_related("response")
    assert set(comments.values_list("response__language", flat=True)) == {"it", "hr", "bg", "ru", "et", "en"}
    for answer in comments.filter(response__nps_score__lte=6)[:200]:
        language = answer.response.language
        criticism = {t.format(name=n) for t in STAFF_CRITICISM[language] for n in STAFF_NAMES[language]}
        assert answer.text_value in COMMENTS[language]["negative"] or answer.text_value in criticism


@pytest.mark.django_db
def test_demo_tells_a_story_worse_stores_and_younger_customers(demo):
    analyst = demo.users.get(username="analyst")
    rows = metric_rows(user=analyst, dimension="unit")
    marked = {row.label.split()[0]: row.nps_vs_rest for row in rows if row.nps_vs_rest}
    assert marked["IT-09"] == marked["BG-03"] == "lower"  # significant after Benjamini-Hochberg
    assert len(marked) < len(rows) / 2  # most stores are not singled out
    by_unit = {row.label.split()[0]: row.nps for row in rows}
    worse = {code: by_unit.pop(code) for code in ("IT-09", "BG-03")}
    others_lowest_low = min(e.low for e in by_unit.values() if e.n >= 50)
    assert all(e.high < others_lowest_low for e in worse.values())
    by_age = {row.key: row.nps for row in metric_rows(user=analyst, dimension="age_group")}
    assert by_age["18-24"].high < by_age["65+"].low


@pytest.mark.django_db
def test_demo_answers_are_valid_for_their_survey_versions(demo):
    for response in Response.objects.filter(organisation=demo).select_related("version")[:400]:
        raw = {a.question_key: a.value for a in response.answers.all()}
        cleaned = clean_submission(version_definition(response.version), raw)
        assert cleaned.keys() == raw.keys()


@pytest.mark.django_db
def test_demo_managers_see_only_their_units(demo):
    from heed.analytics.selectors import metric_summary

    store = demo.users.get(username="manager.it09")
    region = demo.users.get(username="manager.hr")
    assert {row.label.split()[0] for row in metric_rows(user=store, dimension="unit")} == {"IT-09"}
    assert {row.label[:3] for row in metric_rows(user=region, dimension="unit")} == {"HR-"}
    assert metric_summary(user=store).responses < metric_summary(user=region).responses < 8000


@pytest.mark.django_db
def test_demo_has_a_ready_weighting_scheme_and_a_clear_top_driver(demo):
    from heed.analytics.drivers import driver_analysis
    from heed.analytics.models import WeightingScheme

    scheme = WeightingScheme.objects.get(organisation=demo)
    assert scheme.status == "ready" and scheme.diagnostics["converged"]
    assert scheme.diagnostics["design_effect"] > 1
    analyst = demo.users.get(username="analyst")
    result = driver_analysis(user=analyst, survey_id=scheme.survey_id, bootstrap=30)
    first, second = result["drivers"][:2]
    assert (first["key"], second["key"]) == ("staff_behaviour", "merchandise")
    assert first["clear_vs_next"]


@pytest.mark.django_db
def test_demo_staff_are_praised_and_criticised_in_every_country(demo):
    from django.db.models import Count, Q

    from heed.textanalytics.models import StaffMention
    from heed.textanalytics.selectors import staff_summary

    analyst = demo.users.get(username="analyst")
    summary = staff_summary(user=analyst, limit=1000)
    assert sum(row["negative"] for row in summary) > 0 < sum(row["positive"] for row in summary)
    by_country = (
        StaffMention.objects.filter(annotation__organisation=demo, ambiguous=False)
        .values("staff__unit__country")
        .annotate(
            negative=Count("id", filter=Q(sentiment="negative")), positive=Count("id", filter=Q(sentiment="positive"))
        )
    )
    counts = {row["staff__unit__country"]: (row["negative"], row["positive"]) for row in by_country}
    assert set(counts) == {"IT", "HR", "BG", "EE", "IE"}
    assert all(negative > 0 for negative, _positive in counts.values()), counts
    assert sum(positive for _n, positive in counts.values()) > sum(negative for negative, _p in counts.values())
    # The demo's criticism is read as criticism: a criticising comment's mention is negative.
    criticised = StaffMention.objects.filter(annotation__organisation=demo, ambiguous=False,
                                             annotation__answer__response__nps_score__lte=6)  # fmt: skip
    assert criticised.filter(sentiment="negative").count() >= 0.9 * criticised.count() > 0


@pytest.mark.django_db
def test_demo_has_a_call_list_with_calls_and_rates(demo):
    from heed.accounts.models import User
    from heed.cati.selectors import call_list_list, call_list_rates

    (call_list,) = call_list_list(user=User.objects.get(username="analyst"))
    rates = call_list_rates(call_list=call_list)
    assert {d.code: d.count for d in rates.dispositions} == {"1.1": PHONE_INTERVIEWS, "2.112": 1, "4.32": 1}
    assert rates.open_cases == 5 and rates.rates["RR1"] == pytest.approx(PHONE_INTERVIEWS / 4)
    assert call_list.cases.filter(status="appointment").count() == 1
