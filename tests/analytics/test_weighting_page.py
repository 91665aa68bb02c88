"""Weighting in the web UI: upload margins, see diagnostics, toggle weighted figures on the dashboard."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from heed.analytics.models import WeightingScheme
from heed.responses.services import Submission, response_submit
from tests.conftest import login

MARGINS = "variable,category,share\ngender,female,0.5\ngender,male,0.5\n"


def _responses(world):
    for i in range(60):
        gender = "male" if i % 4 else "female"  # three men to every woman
        nps = 9 if gender == "female" else 3
        response_submit(
            submission=Submission(survey=world.survey, language="en", unit=world.store_a),
            raw_answers={"store_experience": 4, "did_buy": "yes", "nps": nps, "gender": gender},
        )


def test_analyst_uploads_margins_and_the_dashboard_shows_weighted_figures(world, django_capture_on_commit_callbacks):
    _responses(world)
    client = login(world.analyst)
    url = f"/surveys/{world.survey.id}/weighting/"
    upload = SimpleUploadedFile("margins.csv", MARGINS.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, {"name": "Customer base", "margins_file": upload})
    assert page.status_code == 302
    scheme = WeightingScheme.objects.get()
    assert scheme.status == "ready"  # computed in-process after commit (no broker configured)
    listing = client.get(url).content.decode()
    # weights 2 (15 women) and 2/3 (45 men): deff = 60 * 80 / 60^2 = 1.33, effective n = 45
    assert "Customer base" in listing and "1.33" in listing
    plain = client.get(f"/dashboard/?survey={world.survey.id}").content.decode()
    weighted = client.get(f"/dashboard/?survey={world.survey.id}&weighting={scheme.id}").content.decode()
    nps = re.compile(r"<h2>NPS</h2>\s*<p class=\"value\">(-?\d+)</p>")
    assert nps.search(plain).group(1) == "-50"  # 15 promoters, 45 detractors of 60
    assert nps.search(weighted).group(1) == "0"  # half women (all promoters), half men (all detractors)
    assert "Weighted by <strong>Customer base</strong>" in weighted
    assert "(effective 45)" in weighted
    assert "carries no weight" not in weighted
    response_submit(submission=Submission(survey=world.survey, language="en", unit=world.store_a),
                    raw_answers={"store_experience": 4, "did_buy": "yes", "nps": 9, "gender": "female"})  # fmt: skip
    weighted = client.get(f"/dashboard/?survey={world.survey.id}&weighting={scheme.id}").content.decode()
    assert "1 response in view carries no weight" in weighted


def test_bad_margins_are_explained(world):
    page = login(world.analyst).post(f"/surveys/{world.survey.id}/weighting/",
                                     {"name": "x", "margins": "gender,female,0.7\ngender,male,0.7"})  # fmt: skip
    assert page.status_code == 422
    assert "add up to 1.4" in page.content.decode()
    assert not WeightingScheme.objects.exists()
    assert login(world.manager_a).get(f"/surveys/{world.survey.id}/weighting/").status_code == 403
