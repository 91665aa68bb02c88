"""The staff interface follows the user's language preference, set by the user or by an admin; without one it
follows the browser (Accept-Language); respondents keep the survey's language whatever the staff setting."""

from __future__ import annotations

import pytest
from django.urls import reverse

from heed.accounts.models import Role
from heed.accounts.services import user_create, user_set_language
from heed.core.errors import ApplicationError
from heed.governance.models import AuditEvent
from tests.conftest import PASSWORD, login


@pytest.mark.django_db
def test_a_user_sets_their_own_language_and_an_admin_can_set_it_too(world):
    changes = AuditEvent.objects.filter(action="user.changed", target_type="user", target_id=str(world.analyst.id))
    user_set_language(actor=world.analyst, user=world.analyst, language="hr")
    world.analyst.refresh_from_db()
    assert world.analyst.language == "hr"
    assert not changes.exists()  # a user's own preference is no organisation change

    admin = user_create(organisation=world.org, username="adm", password=PASSWORD, role=Role.ADMIN)
    user_set_language(actor=admin, user=world.analyst, language="")
    world.analyst.refresh_from_db()
    assert world.analyst.language == ""
    event = changes.get()
    assert (event.before, event.after) == ({"language": "hr"}, {"language": ""})


@pytest.mark.django_db
def test_unknown_languages_and_other_users_are_refused(world):
    with pytest.raises(ApplicationError) as unknown:
        user_set_language(actor=world.analyst, user=world.analyst, language="de")
    assert unknown.value.code == "unknown_language"
    with pytest.raises(ApplicationError) as not_allowed:
        user_set_language(actor=world.analyst, user=world.manager_a, language="it")
    assert not_allowed.value.code == "not_allowed"
    world.manager_a.refresh_from_db()
    assert world.manager_a.language == "en"


@pytest.mark.django_db
def test_the_settings_page_saves_the_preference_and_the_next_page_speaks_it(world):
    client = login(world.analyst)
    page = client.get(reverse("profile"))
    assert page.status_code == 200 and "Your settings" in page.content.decode()
    saved = client.post(reverse("profile"), {"language": "it"}, follow=True)
    html = saved.content.decode()
    assert "Le tue impostazioni" in html and "Le tue impostazioni sono state salvate." in html
    assert saved.headers["Content-Language"] == "it"
    assert '<html lang="it">' in html
    world.analyst.refresh_from_db()
    assert world.analyst.language == "it"
    refused = client.post(reverse("profile"), {"language": "xx"})
    assert refused.status_code == 200 and world.analyst.language == "it"


@pytest.mark.django_db
def test_the_preference_wins_over_the_browser_and_an_empty_one_follows_it(world):
    user_set_language(actor=world.analyst, user=world.analyst, language="hr")
    client = login(world.analyst)
    page = client.get(reverse("profile"), headers={"accept-language": "it"})
    assert "Vaše postavke" in page.content.decode() and page.headers["Content-Language"] == "hr"
    user_set_language(actor=world.analyst, user=world.analyst, language="")
    page = client.get(reverse("profile"), headers={"accept-language": "bg,en;q=0.5"})
    assert "Вашите настройки" in page.content.decode() and page.headers["Content-Language"] == "bg"
    page = client.get(reverse("profile"), headers={"accept-language": "de"})
    assert "Your settings" in page.content.decode()


@pytest.mark.django_db
def test_the_login_page_follows_the_browser(client):
    page = client.get(reverse("login"), headers={"accept-language": "ru"})
    assert page.headers["Content-Language"] == "ru"
    assert "Войти" in page.content.decode()


@pytest.mark.django_db
def test_respondents_see_the_survey_language_not_the_browser_nor_a_staff_preference(world):
    from heed.distribution.services import link_public_url
    from heed.surveys.i18n_strings import UI_STRINGS

    user_set_language(actor=world.analyst, user=world.analyst, language="bg")
    client = login(world.analyst)  # a staff member opening a survey link keeps the survey's language
    url = link_public_url(world.link_b).split("://", 1)[1].split("/", 1)[1]
    page = client.get(f"/{url}?lang=hr", headers={"accept-language": "ru"})
    html = page.content.decode()
    assert UI_STRINGS["hr"]["next"] in html
    assert UI_STRINGS["bg"]["next"] not in html and UI_STRINGS["ru"]["next"] not in html


@pytest.mark.django_db
def test_an_admin_sets_a_users_language_on_the_users_page(world):
    admin = user_create(organisation=world.org, username="adm", password=PASSWORD, role=Role.ADMIN)
    client = login(admin)
    page = client.get(f"/organisation/users/{world.manager_a.id}/")
    assert 'name="language"' in page.content.decode()
    client.post(f"/organisation/users/{world.manager_a.id}/",
                {"role": "unit_manager", "units": [world.store_a.id], "language": "bg"})  # fmt: skip
    world.manager_a.refresh_from_db()
    assert world.manager_a.language == "bg"
    client.post(f"/organisation/users/{world.manager_a.id}/", {"role": "unit_manager", "units": [world.store_a.id]})
    world.manager_a.refresh_from_db()
    assert world.manager_a.language == "bg"  # a form without the field leaves the preference alone
