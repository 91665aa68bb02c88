"""The tone of staff mentions as the staff summary shows it (the rules: tests/nlp/test_staff_tone.py)."""

from __future__ import annotations

from heed.responses.services import Submission, response_submit
from heed.textanalytics.models import StaffMention
from heed.textanalytics.selectors import staff_summary
from heed.textanalytics.services import annotations_refresh, staff_add


def test_criticised_staff_show_in_the_staff_summary(world):
    staff_add(unit=world.store_a, first_name="Marko")
    staff_add(unit=world.store_a, first_name="Ivana")
    for text, nps in (("Marko … je bio nepristojan.", 2), ("Ivana je bila ljubazna, a Marko nije.", 6)):
        response_submit(submission=Submission(survey=world.survey, language="hr", unit=world.store_a),
                        raw_answers={"store_experience": 3, "did_buy": "yes", "nps": nps, "comment": text})  # fmt: skip
    annotations_refresh(organisation=world.org)
    assert StaffMention.objects.count() == 3
    summary = {row["name"]: row for row in staff_summary(user=world.analyst)}
    assert (summary["Marko"]["mentions"], summary["Marko"]["negative"], summary["Marko"]["positive"]) == (2, 2, 0)
    assert (summary["Ivana"]["positive"], summary["Ivana"]["negative"]) == (1, 0)
