"""A double-clicked Add never creates the same thing twice: staff members (same unit, same name whatever
its case, accents or spacing), unit codes and usernames (whatever their case). The services refuse with
409 / a form error; a unique constraint decides when two requests race."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from heed.accounts import services as account_services
from heed.accounts.models import ApiToken, Role, Unit, User
from heed.accounts.services import api_token_create, api_token_revoke, unit_create, user_create
from heed.analytics.models import WeightingScheme
from heed.analytics.weighting import weighting_scheme_create, weighting_scheme_replace
from heed.core.errors import ConflictError
from heed.core.migration_names import rename_clashes
from heed.core.names import name_key
from heed.distribution import services as distribution_services
from heed.distribution.models import SurveyLink
from heed.distribution.services import link_create
from heed.surveys import services as survey_services
from heed.textanalytics import services as text_services
from heed.textanalytics.models import StaffMember, ThemeDefinition
from heed.textanalytics.services import staff_add, staff_set_active, staff_update, theme_save
from tests.concurrency import run_concurrently
from tests.conftest import login


def test_name_key_ignores_case_accents_and_spacing_but_keeps_cyrillic_letters():
    assert name_key("  Ivana ", "Perić") == name_key("IVANA", "peric") == name_key("Ivana  Perić") == "ivana peric"
    assert name_key("Đuro", "Šarić") == "duro saric"
    assert name_key("Jürgen", "Groß") == "jurgen gross"
    assert name_key("Андрей") != name_key("Андреи")  # й and и are different letters


def test_double_clicked_add_staff_creates_one_member(world, admin):
    browser = login(admin)
    data = {"first_name": "Prg", "last_name": "Test", "unit": world.store_a.id}
    assert browser.post("/organisation/staff/", data).status_code == 302
    again = browser.post("/organisation/staff/", data)
    assert again.status_code == 409 and "Milano already lists Prg Test" in again.content.decode()
    assert StaffMember.objects.filter(unit=world.store_a, first_name="Prg").count() == 1


@pytest.mark.parametrize(("first", "last"), [("prg", "TEST"), (" Prg ", " Test"), ("Prg", "Tést"), ("Prg Test", "")])
def test_the_same_name_written_differently_is_a_duplicate(world, first, last):
    staff_add(unit=world.store_a, first_name="Prg", last_name="Test")
    with pytest.raises(ConflictError) as caught:
        staff_add(unit=world.store_a, first_name=first, last_name=last)
    assert caught.value.code == "staff_name_used" and caught.value.status_code == 409


def test_an_inactive_member_blocks_a_duplicate_and_other_units_or_names_do_not(world, admin):
    member = staff_add(unit=world.store_a, first_name="Marko", last_name="Horvat")
    staff_set_active(actor=admin, member=member, active=False)
    with pytest.raises(ConflictError, match="put them back instead"):
        staff_add(unit=world.store_a, first_name="marko", last_name="horvat")
    staff_add(unit=world.store_b, first_name="Marko", last_name="Horvat")  # another unit
    staff_add(unit=world.store_a, first_name="Marko", last_name="Perić")  # another person
    assert StaffMember.objects.filter(first_name="Marko").count() == 3


def test_renaming_or_moving_onto_an_existing_name_is_refused(world, admin):
    staff_add(unit=world.store_a, first_name="Ivana")
    other = staff_add(unit=world.store_b, first_name="Ivana")
    with pytest.raises(ConflictError):
        staff_update(actor=admin, member=other, unit=world.store_a, first_name="IVANA")
    kept = staff_add(unit=world.store_a, first_name="Luka")
    staff_update(actor=admin, member=kept, unit=world.store_a, first_name="Luka", aliases=["Lukica"])  # itself: fine
    other.refresh_from_db()
    assert other.unit == world.store_b


def test_the_staff_constraint_holds_without_the_service(world):
    staff_add(unit=world.store_a, first_name="Prg", last_name="Test")
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffMember.objects.create(organisation=world.org, unit=world.store_a, first_name="PRG", last_name="test",
                                   name_key=name_key("PRG", "test"))  # fmt: skip


def test_when_the_check_is_passed_the_constraint_gives_the_same_409(world, admin, monkeypatch):
    """What a race does: both requests pass the query; the constraint refuses the second insert."""
    staff_add(unit=world.store_a, first_name="Prg", last_name="Test")
    unit_create(organisation=world.org, kind=Unit.Kind.STORE, name="Split", code="HR-03", parent=world.region)
    original = {"staff": text_services._staff_name_free, "code": account_services._check_code_free,
                "user": account_services._check_username_free}  # fmt: skip
    _skip_first_check(monkeypatch, text_services, "_staff_name_free", original["staff"], threading.local())
    _skip_first_check(monkeypatch, account_services, "_check_code_free", original["code"], threading.local())
    _skip_first_check(monkeypatch, account_services, "_check_username_free", original["user"], threading.local())
    with pytest.raises(ConflictError) as staff, transaction.atomic():
        staff_add(unit=world.store_a, first_name="prg", last_name="test")
    with pytest.raises(ConflictError) as code:
        unit_create(organisation=world.org, kind=Unit.Kind.STORE, name="Split", code="hr-03", parent=world.region)
    with pytest.raises(ConflictError) as username:
        user_create(organisation=world.org, username="ANA", password=None, role=Role.ANALYST)
    assert [e.value.code for e in (staff, code, username)] == ["staff_name_used", "unit_code_used", "username_taken"]
    assert StaffMember.objects.filter(unit=world.store_a).count() == 1
    assert Unit.objects.filter(code__iexact="hr-03").count() == 1
    assert User.objects.filter(username__iexact="ana").count() == 1


def _skip_first_check(monkeypatch, module, name, original, local, barrier=None):
    """Replace ``module.name`` by a check that passes its first call in each thread (after ``barrier``)."""

    def first_passes(*args, **kwargs):
        if not getattr(local, "passed", False):
            local.passed = True
            if barrier is not None:
                barrier.wait()
            return None
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, first_passes)


def test_unit_codes_are_unique_whatever_their_case(world, admin):
    browser = login(admin)
    reply = browser.post("/organisation/units/", {"code": "s1", "name": "Again", "kind": "store",
                                                  "parent": world.region.id})  # fmt: skip
    assert reply.status_code == 409 and "The code s1 is already used by S1 Milano" in reply.content.decode()
    assert Unit.objects.filter(organisation=world.org, code__iexact="s1").count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(organisation=world.org, kind="store", name="Raw", code="r1", parent=world.region)


def test_another_organisation_may_use_the_same_code(world, other):
    assert unit_create(organisation=other.admin.organisation, kind="region", name="North", code="r1").code == "r1"


def test_usernames_are_unique_whatever_their_case(world, admin):
    reply = login(admin).post("/organisation/", {"username": "ANA", "role": "analyst"})
    assert reply.status_code == 409 and "The username ANA is taken." in reply.content.decode()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="Ana", organisation=world.org)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["staff", "unit", "user"])
def test_two_concurrent_adds_end_with_one_row_and_one_409(world, monkeypatch, kind):
    """Two requests both pass the check before either inserts: PostgreSQL makes the second insert wait
    on the first's unique index entry, then fail; the service turns that into the same 409."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's concurrent transactions")
    barrier = threading.Barrier(2, timeout=20)
    local = threading.local()
    module, name = {"staff": (text_services, "_staff_name_free"), "unit": (account_services, "_check_code_free"),
                    "user": (account_services, "_check_username_free")}[kind]  # fmt: skip
    _skip_first_check(monkeypatch, module, name, getattr(module, name), local, barrier)
    adds = {
        "staff": lambda i: staff_add(unit=world.store_a, first_name=["Prg", "PRG"][i], last_name="Test"),
        "unit": lambda i: unit_create(
            organisation=world.org, kind="store", name="Split", code=["HR-03", "hr-03"][i], parent=world.region
        ),  # fmt: skip
        "user": lambda i: user_create(
            organisation=world.org, username=["Petra", "petra"][i], password=None, role=Role.ANALYST
        ),  # fmt: skip
    }
    results = run_concurrently(adds[kind])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ConflictError), results
    assert errors[0].status_code == 409
    counts = {
        "staff": StaffMember.objects.filter(unit=world.store_a, name_key="prg test").count(),
        "unit": Unit.objects.filter(organisation=world.org, code__iexact="hr-03").count(),
        "user": User.objects.filter(username__iexact="petra").count(),
    }
    assert counts[kind] == 1


def test_a_double_clicked_create_token_makes_one_live_token(world):
    browser = login(world.analyst)
    assert browser.post("/account/tokens/", {"name": "Till system"}).status_code == 302
    again = browser.post("/account/tokens/", {"name": " till SYSTEM "}, follow=True)
    assert "You already have a token named till SYSTEM" in again.content.decode()
    (token,) = ApiToken.objects.filter(user=world.analyst)
    api_token_revoke(token=token)
    api_token_create(user=world.analyst, name="Till system")  # a revoked token's name is free again
    api_token_create(user=world.manager_a, name="Till system")  # and another user's
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(user=world.analyst, name="TILL system", prefix="x", key_hash="y" * 64)


def test_weighting_scheme_names_are_unique_per_survey(world):
    targets = {"gender": {"female": 0.5, "male": 0.5}}
    first = weighting_scheme_create(survey=world.survey, name="Census", targets=targets, created_by=world.analyst)
    with pytest.raises(ConflictError) as caught:
        weighting_scheme_create(survey=world.survey, name=" census", targets=targets, created_by=world.analyst)
    assert caught.value.code == "weighting_scheme_name_used"
    weighting_scheme_replace(scheme=first, name="Census", targets=targets)  # itself: fine
    second = weighting_scheme_create(survey=world.survey, name="Base", targets=targets, created_by=world.analyst)
    with pytest.raises(ConflictError):
        weighting_scheme_replace(scheme=second, name="CENSUS", targets=targets)
    page = login(world.analyst).post(f"/surveys/{world.survey.id}/weighting/",
                                     {"name": "Census", "margins": "gender,female,0.5\ngender,male,0.5"})  # fmt: skip
    assert page.status_code == 422 and "already has a weighting scheme named Census" in page.content.decode()
    assert sorted(WeightingScheme.objects.values_list("name", flat=True)) == ["Base", "Census"]
    with pytest.raises(IntegrityError), transaction.atomic():
        WeightingScheme.objects.create(organisation=world.org, survey=world.survey, name="BASE", targets=targets)


def test_migrations_rename_the_clashes_already_stored_oldest_first_never_onto_a_stored_name():
    class Row:
        def __init__(self, group: int, name: str) -> None:
            self.group, self.name, self.saved = group, name, False

        def save(self, update_fields) -> None:
            self.saved = update_fields == ["name"]

    rows = [Row(1, "Census"), Row(1, "census"), Row(2, "Census"), Row(1, "CENSUS"), Row(1, "census (2)")]
    rename_clashes(rows, group=lambda row: row.group, max_length=10)
    assert [(row.name, row.saved) for row in rows] == [
        ("Census", False), ("census (3)", True), ("Census", False), ("CENSUS (4)", True), ("census (2)", False),
    ]  # fmt: skip


def test_adding_or_accepting_a_theme_never_overwrites_an_existing_one(world):
    client = login(world.analyst)
    client.get("/themes/")  # the starting taxonomy
    before = ThemeDefinition.objects.get(organisation=world.org, key="checkout").keywords
    for data in ({"name": "Checkout", "keywords_en": "till"},
                 {"key": "CHECKOUT", "name": "Tills", "keywords_en": "till"},
                 {"name": "checkout & PAYMENT", "source": "discovered", "keywords_en": "till"}):  # fmt: skip
        page = client.post("/themes/", data)
        assert page.status_code == 409 and "edit that theme to change its keywords" in page.content.decode(), data
    assert ThemeDefinition.objects.get(organisation=world.org, key="checkout").keywords == before
    assert client.post("/themes/", {"name": "Queues", "keywords_en": "queue"}).status_code == 302
    assert client.post("/themes/", {"name": "Queues", "keywords_en": "queue"}).status_code == 409  # double click
    edited = client.post("/themes/?edit=queues",
                         {"editing": "queues", "name": "Queues", "keywords_en": "queue, line"})  # fmt: skip
    assert edited.status_code == 302
    assert ThemeDefinition.objects.get(organisation=world.org, key="queues").keywords == {"en": ["queue", "line"]}
    renamed = client.post("/themes/?edit=queues",
                          {"editing": "queues", "name": "CHECKOUT & Payment", "keywords_en": "queue"})  # fmt: skip
    assert renamed.status_code == 409


def test_a_theme_added_while_the_check_is_passed_is_refused_by_the_constraint(world, monkeypatch):
    theme_save(organisation=world.org, key="queues", name="Queues", keywords={"en": ["queue"]}, source="manual",
               new=True)  # fmt: skip
    _skip_first_check(monkeypatch, text_services, "_theme_name_free", text_services._theme_name_free,
                      threading.local())  # fmt: skip
    with pytest.raises(ConflictError) as caught, transaction.atomic():
        theme_save(organisation=world.org, key="Queues", name="Lines", keywords={"en": ["line"]}, source="manual",
                   new=True)  # fmt: skip
    assert caught.value.code == "theme_exists"
    assert ThemeDefinition.objects.get(organisation=world.org, key="queues").keywords == {"en": ["queue"]}


def test_a_second_active_link_with_the_same_channel_unit_and_touchpoint_is_refused(world):
    """world.link_a is the QR link of Milano at touchpoint "store"."""
    with pytest.raises(ConflictError) as caught:
        link_create(survey=world.survey, channel="qr", unit=world.store_a, touchpoint=" STORE ", name="Poster")
    assert caught.value.code == "link_exists" and caught.value.extra == {"link_id": world.link_a.id}
    link_create(survey=world.survey, channel="qr", unit=world.store_a, touchpoint="till")  # another touchpoint
    link_create(survey=world.survey, channel="web", unit=world.store_a, touchpoint="store")  # another channel
    SurveyLink.objects.filter(pk=world.link_a.pk).update(is_active=False)
    link_create(survey=world.survey, channel="qr", unit=world.store_a, touchpoint="store")  # the old one is off
    browser = login(world.analyst)
    data = {"channel": "web", "unit": world.store_b.id, "touchpoint": "", "name": "Again"}  # world.link_b
    page = browser.post(f"/surveys/{world.survey.id}/links/", data, follow=True)
    assert "already has an active link for channel Web link, unit S2 Zagreb and no touchpoint" in page.content.decode()
    assert SurveyLink.objects.filter(survey=world.survey, channel="web", unit=world.store_b).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_link_creations_make_one_link(world, monkeypatch):
    """The row lock on the survey makes the second creation wait, then see the first link."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's concurrent transactions")
    barrier = threading.Barrier(2, timeout=20)
    original = distribution_services.unit_require_open

    def both_validated(unit):
        barrier.wait()  # both requests are past validation before either locks the survey
        return original(unit)

    monkeypatch.setattr(distribution_services, "unit_require_open", both_validated)
    results = run_concurrently(
        lambda _index: link_create(survey=world.survey, channel="email", unit=world.store_b, touchpoint="x")
    )
    assert sorted(type(r).__name__ for r in results) == ["ConflictError", "SurveyLink"], results
    assert SurveyLink.objects.filter(survey=world.survey, channel="email").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_question_adds_of_one_key_make_one_question(world, monkeypatch):
    """Without the survey's row lock both would pass the key check and the second would hit the constraint."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's concurrent transactions")
    barrier = threading.Barrier(2, timeout=20)
    original = survey_services._question_fields

    def both_parsed(*args, **kwargs):
        fields = original(*args, **kwargs)
        barrier.wait()
        return fields

    monkeypatch.setattr(survey_services, "_question_fields", both_parsed)
    extra = {"key": "extra", "type": "text", "texts": {"en": "Anything else?"}}
    results = run_concurrently(lambda _index: survey_services.question_add(survey=world.survey, data=extra))
    assert sorted(type(r).__name__ for r in results) == ["ConflictError", "Question"], results
    assert world.survey.questions.filter(key="extra").count() == 1
