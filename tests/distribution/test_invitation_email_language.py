"""The invitation e-mail is written in the invitation's language (the survey's default when it has none
or the survey does not offer it), from the respondent string packs."""

from __future__ import annotations

import pytest
from django.core import mail

from heed.distribution.services import invitation_public_url, invitations_create
from heed.surveys.i18n_strings import INVITATION_EMAIL


def _send(world, *, language: str, name: str = "Ivana") -> mail.EmailMessage:
    mail.outbox.clear()
    (invitation,) = invitations_create(
        link=world.link_b, recipients=[("ivana@example.com", name)], language=language, send=True
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert invitation_public_url(invitation) in message.body
    return message


@pytest.mark.django_db(transaction=True)
def test_croatian_invitation_gets_a_croatian_email(world):
    message = _send(world, language="hr")
    assert message.body.startswith("Dobar dan, Ivana,\n")
    assert "Tvrtka Acme željela bi čuti kakvo je bilo vaše iskustvo." in message.body
    assert "Hvala vam," in message.body
    assert "Hello" not in message.body and "would like to hear" not in message.body
    assert message.subject == "Acme: Store visit"


@pytest.mark.django_db(transaction=True)
def test_italian_invitation_without_a_name_gets_the_plain_greeting(world):
    message = _send(world, language="it", name="")
    assert message.body.startswith("Ciao,\n")
    assert "Acme vorrebbe conoscere la tua esperienza." in message.body


@pytest.mark.django_db(transaction=True)
def test_english_text_is_unchanged(world):
    message = _send(world, language="en")
    assert message.body.startswith(
        "Hello Ivana,\n\nAcme would like to hear about your experience. The survey takes about two minutes:\n\n"
    )
    assert message.body.endswith("\n\nThank you,\nAcme\n")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["", "ru"])  # none given; not offered by the survey (en, it, hr)
def test_no_or_unoffered_language_falls_back_to_the_survey_default(world, language):
    message = _send(world, language=language)
    assert message.body.startswith("Hello Ivana,")


@pytest.mark.django_db(transaction=True)
def test_placeholders_in_names_are_not_substituted_again(world):
    message = _send(world, language="en", name="{brand} {title}")
    assert message.body.startswith("Hello {brand} {title},")


def test_every_pack_has_every_invitation_string_with_its_placeholders():
    english = INVITATION_EMAIL["en"]
    for language, strings in INVITATION_EMAIL.items():
        assert set(strings) == set(english), language
        assert "{brand}" in strings["body"] and "{name}" in strings["greeting_named"], language
        if language != "en":
            assert strings["body"] != english["body"], language
