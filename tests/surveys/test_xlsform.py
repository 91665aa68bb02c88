"""XLSForm import and export (issue 10 point 7; capabilities research b.4 tests 19 and 20).

The workbooks are built here with openpyxl. pyxform converts them; ODK Validate (Java) is never called: its
entry point is replaced by one that fails the test if it runs.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from pyxform.xls2xform import convert

from heed.surveys.definition import SurveyDefinition
from heed.surveys.models import Survey
from heed.surveys.selectors import survey_latest_version
from heed.surveys.services import question_add, survey_create, survey_definition_build, survey_publish
from heed.surveys.xlsform_export import definition_to_xlsform
from heed.surveys.xlsform_import import (
    MAX_XLSFORM_BYTES,
    XLSFormRefusedError,
    heed_key,
    survey_import_xlsform,
    xlsform_read,
)
from tests.conftest import api_client, login

LABELS = ["label::English (en)", "label::Italiano (it)", "label::Hrvatski (hr)"]
HEADER = ["type", "name", *LABELS, "relevant", "required", "constraint"]
CHOICES = [
    ["list_name", "name", *LABELS],
    ["yes_no", "yes", "Yes", "Sì", "Da"],
    ["yes_no", "no", "No", "No", "Ne"],
    ["reasons", "price", "Price", "Prezzo", "Cijena"],
    ["reasons", "queue", "Queue", "Coda", "Red"],
]


@pytest.fixture(autouse=True)
def _never_odk_validate(monkeypatch):
    """ODK Validate needs Java: Heed must never start it."""
    from pyxform.validators import odk_validate

    def refuse(*args, **kwargs):
        raise AssertionError("ODK Validate (Java) was called")

    monkeypatch.setattr(odk_validate, "check_xform", refuse)


def workbook(
    rows: list[list[str]], choices: list[list[str]] = CHOICES, settings: list[list[str]] | None = None
) -> bytes:
    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    for row in rows:
        survey.append(row)
    sheet = book.create_sheet("choices")
    for row in choices:
        sheet.append(row)
    if settings:
        sheet = book.create_sheet("settings")
        for row in settings:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


VISIT = workbook(
    [
        HEADER,
        ["select_one yes_no", "visited", "Did you visit?", "Hai visitato?", "Jeste li posjetili?", "", "yes", ""],
        [
            "integer",
            "nps",
            "Recommend?",
            "Consiglieresti?",
            "Preporučili biste?",
            "${visited} = 'yes'",
            "true",
            ". >= 0 and . <= 10",
        ],
        ["text", "Q-1.a", "Why?", "Perché?", "Zašto?", "${nps} <= 6", "", ""],
        ["select_multiple reasons", "why_not", "Why not?", "Perché no?", "Zašto ne?", "${visited} = 'no'", "", ""],
        ["date", "when", "When?", "Quando?", "Kada?", "", "", ""],
        ["text", "both", "Tell us", "Dicci", "Recite", "${visited}='yes' and ${nps}>2", "", ""],
        ["note", "thanks", "Thanks", "Grazie", "Hvala", "", "", ""],
    ],  # fmt: skip
    settings=[["form_title", "form_id", "default_language"], ["Store visit", "visit", "English (en)"]],
)


def _options(values: dict[str, tuple[str, str, str]]) -> list[dict]:
    return [{"value": v, "labels": dict(zip(("en", "it", "hr"), labels, strict=True))} for v, labels in values.items()]


def test_b4_19_an_xlsform_becomes_a_survey_with_the_same_keys_options_translations_and_skip_logic(world):
    survey, report = survey_import_xlsform(organisation=world.org, created_by=world.analyst, data=VISIT)
    assert (survey.title, survey.languages, survey.default_language) == ("Store visit", ["en", "it", "hr"], "en")
    assert survey.status == Survey.Status.DRAFT
    questions = {q.key: q for q in survey.questions.all()}
    assert list(questions) == ["visited", "nps", "q_1_a", "why_not", "when", "both"]
    assert [questions[k].type for k in questions] == [
        "single_choice", "number", "text", "multiple_choice", "date", "text"
    ]  # fmt: skip
    visited = questions["visited"]
    assert visited.required and visited.texts == {
        "en": "Did you visit?",
        "it": "Hai visitato?",
        "hr": "Jeste li posjetili?",
    }
    assert visited.options == _options({"yes": ("Yes", "Sì", "Da"), "no": ("No", "No", "Ne")})
    assert questions["why_not"].options == _options(
        {"price": ("Price", "Prezzo", "Cijena"), "queue": ("Queue", "Coda", "Red")}
    )
    nps = questions["nps"]
    assert nps.required and (nps.min_value, nps.max_value) == (0, 10)
    assert nps.show_if == {"question": "visited", "op": "eq", "value": "yes"}
    assert questions["q_1_a"].show_if == {"question": "nps", "op": "lte", "value": 6}
    assert not questions["q_1_a"].required
    assert questions["why_not"].show_if == {"question": "visited", "op": "eq", "value": "no"}
    # and/or now import as compound skip logic (issue 10 point 7); "> 2" on a number is "not at most 2"
    assert questions["both"].show_if == {
        "all": [
            {"question": "visited", "op": "eq", "value": "yes"},
            {"not": {"question": "nps", "op": "lte", "value": 2}},
        ]
    }
    assert ("Q-1.a", "q_1_a") in report.renamed
    lines = report.lines()
    assert "The name Q-1.a became the key q_1_a." in lines
    assert 'survey row 8: note "thanks" skipped: Heed has no question that only shows text' in lines
    survey_definition_build(survey=survey)  # a valid questionnaire


def test_b4_19_unsupported_rows_refuse_the_import_with_one_plain_line_per_row(world):
    refused = workbook(
        [
            [*HEADER, "calculation", "choice_filter"],
            ["select_one yes_no", "a", "A", "A", "A", "", "", "", "", ""],
            ["integer", "b", "B", "B", "B", "", "", "", "", ""],
            ["calculate", "total", "", "", "", "", "", "", "${b} * 2", ""],
            ["begin_repeat", "visits", "Visits", "Visite", "Posjeti", "", "", "", "", ""],
            ["text", "shop", "Shop", "Negozio", "Trgovina", "", "", "", "", ""],
            ["end_repeat", "", "", "", "", "", "", "", "", ""],
            ["text", "c", "C", "C", "C", "${a}='1' and ${b} + 1 > 2", "", "", "", ""],
            ["select_one yes_no", "d", "D", "D", "D", "", "", "", "", "name = ${a}"],
            ["text", "e", "E", "E", "E", "count-selected(${a}) > 1", "", "", "", ""],
        ]
    )  # fmt: skip
    with pytest.raises(XLSFormRefusedError) as refusal:
        survey_import_xlsform(organisation=world.org, created_by=world.analyst, data=refused)
    assert refusal.value.extra["problems"] == [
        "survey row 4: a calculation, which Heed does not support yet",
        "survey row 5: a repeat, which Heed does not support yet",
        "survey row 7: a repeat, which Heed does not support yet",
        'survey row 8: relevant "${a}=\'1\' and ${b} + 1 > 2" uses "+", which Heed does not support yet',
        "survey row 9: choice_filter, which Heed does not support yet",
        'survey row 10: relevant "count-selected(${a}) > 1" uses "count-selected()", which Heed does not support yet',
    ]
    assert refusal.value.status_code == 422
    assert "Traceback" not in str(refusal.value)
    assert not Survey.objects.filter(title="XLSForm").exists()


@pytest.mark.parametrize(
    ("relevant", "line"),
    [
        ("${a} = ${b}", 'relevant "${a} = ${b}" compares two answers (${a} and ${b}), which Heed does not support yet'),
        ("${m} = 'yes'", "relevant \"${m} = 'yes'\" compares the multiple-choice answer ${m} with \"=\"; "
                         "write selected(${m}, 'value')"),
        ("${b} <= 'many'", 'relevant "${b} <= \'many\'" compares ${b} with "many", which is not a number'),
        ("${later} = 1", 'relevant "${later} = 1" refers to ${later}, which is not an earlier question'),
        ("${a} = 'yes' and", 'relevant "${a} = \'yes\' and" cannot be read (at "")'),
        (". > 1", 'relevant ". > 1" uses ".", which Heed does not support yet'),
        ("${b} mod 2 = 0", 'relevant "${b} mod 2 = 0" uses "mod", which Heed does not support yet'),
    ],
)  # fmt: skip
def test_each_relevant_heed_cannot_say_is_named_in_plain_words(relevant, line):
    rows = [
        HEADER,
        ["select_one yes_no", "a", "A", "A", "A", "", "", ""],
        ["integer", "b", "B", "B", "B", "", "", ""],
        ["select_multiple yes_no", "m", "M", "M", "M", "", "", ""],
        ["text", "c", "C", "C", "C", relevant, "", ""],
        ["text", "later", "L", "L", "L", "", "", ""],
    ]
    with pytest.raises(XLSFormRefusedError) as refusal:
        xlsform_read(workbook(rows), organisation_language="en")
    assert refusal.value.extra["problems"] == [f"survey row 5: {line}"]


def test_unknown_languages_types_constraints_and_files_are_refused_plainly():
    rows = [
        ["type", "name", "label::Deutsch (de)", "constraint", "required"],
        ["geopoint", "where", "Wo?", "", ""],
        ["text", "t", "Text", "string-length(.) < 5", "${x} = 1"],
    ]
    with pytest.raises(XLSFormRefusedError) as refusal:
        xlsform_read(workbook(rows, choices=[["list_name", "name", "label"]]), organisation_language="en")
    assert refusal.value.extra["problems"] == [
        'survey row 2: type "geopoint", which Heed does not support yet',
        'survey row 3: required "${x} = 1", which Heed does not support yet (only yes or no)',
        'survey row 3: constraint "string-length(.) < 5", which Heed does not support yet (only . >= a and . <= b)',
    ]
    with pytest.raises(XLSFormRefusedError) as language:
        xlsform_read(
            workbook([rows[0][:3], ["text", "t", "Text"]], choices=[["list_name"]]), organisation_language="en"
        )
    assert language.value.extra["problems"][0].startswith('The language "Deutsch (de)" is not one Heed offers')
    with pytest.raises(XLSFormRefusedError, match="not an XLSForm workbook Heed can read"):
        xlsform_read(b"PK\x03\x04 not really a zip", organisation_language="en")
    with pytest.raises(XLSFormRefusedError, match="larger than 1024 KB"):
        xlsform_read(b"x" * (MAX_XLSFORM_BYTES + 1), organisation_language="en")


def test_plain_labels_take_the_organisations_language_and_language_names_are_recognised():
    rows = [["type", "name", "label", "label::Italian"], ["text", "Your-Name", "Name?", "Nome?"]]
    form = xlsform_read(workbook(rows, choices=[["list_name"]]), organisation_language="hr")
    assert (form.languages, form.default_language) == (["hr", "it"], "hr")
    assert form.questions[0]["key"] == "your_name" and form.questions[0]["texts"] == {"hr": "Name?", "it": "Nome?"}


def test_groups_are_flattened_with_their_relevant_and_a_range_is_a_rating():
    rows = [
        HEADER + ["parameters"],
        ["select_one yes_no", "visited", "Visited?", "", "", "", "", "", ""],
        ["begin_group", "shop", "Shop", "", "", "${visited} = 'yes'", "", "", ""],
        ["range", "score", "Score", "", "", "", "", "", "start=1 end=7 step=1"],
        ["text", "why", "Why?", "", "", "${score} < 4", "", "", ""],
        ["end_group", "", "", "", "", "", "", "", ""],
        ["decimal", "spend", "Spend", "", "", "", "", ". >= 0.5", ""],
    ]
    form = xlsform_read(workbook(rows), organisation_language="en")
    score, why, spend = form.questions[1:]
    assert (score["type"], score["min_value"], score["max_value"]) == ("rating", 1.0, 7.0)
    assert score["show_if"] == {"question": "visited", "op": "eq", "value": "yes"}
    assert why["show_if"] == {"all": [{"question": "visited", "op": "eq", "value": "yes"},
                                      {"question": "score", "op": "lte", "value": 3}]}  # fmt: skip
    assert (spend["type"], spend["min_value"], spend["max_value"], spend["show_if"]) == ("number", 0.5, None, None)


@pytest.mark.parametrize(("name", "key"), [("Q-1.a", "q_1_a"), ("1st", "q_1st"), ("Été", "t"), ("a" * 50, "a" * 40)])
def test_xlsform_names_become_heed_keys(name, key):
    assert heed_key(name) == key


def _rich_survey(world) -> Survey:
    """A survey using every kind of question and rule the export writes."""
    survey = survey_create(organisation=world.org, title="Round =trip", created_by=world.analyst,
                           languages=["it", "en"], default_language="it")  # fmt: skip

    def add(key, qtype, **fields):
        question_add(survey=survey, data={"key": key, "type": qtype, "texts": {"it": f"{key} it", "en": f"{key} en"},
                                          **fields})  # fmt: skip

    yes_no = [
        {"value": "yes", "labels": {"it": "Sì", "en": "Yes"}},
        {"value": "no", "labels": {"it": "No", "en": "No"}},
    ]
    add("visited", "single_choice", required=True, options=yes_no)
    add("nps", "nps", show_if={"question": "visited", "op": "eq", "value": "yes"})
    add("nps_again", "nps", metric="none", options=[{"value": "0", "labels": {"it": "Mai", "en": "Never"}}])
    add("csat", "csat")
    add("effort", "rating", min_value=1, max_value=7)
    add("colours", "multiple_choice", options=[{"value": "red", "labels": {"it": "Rosso", "en": "=HYPERLINK(\"x\")"}},
                                               {"value": "blue", "labels": {"it": "Blu", "en": "Blue"}}])  # fmt: skip
    add("spend", "number", min_value=0, max_value=2500.5)
    add("when", "date")
    add("age_group", "age_group")
    add("why", "text", show_if={"all": [
        {"question": "nps", "op": "lte", "value": 6},
        {"any": [{"question": "colours", "op": "in", "value": ["red", "blue"]},
                 {"not": {"question": "spend", "op": "gte", "value": 100.5}}]},
        {"question": "visited", "op": "ne", "value": "no"},
        {"question": "colours", "op": "not_in", "value": ["red"]},
        {"question": "when", "op": "answered", "value": None},
    ]})  # fmt: skip
    return survey


def test_b4_20_a_published_version_exported_and_imported_again_is_the_same_definition(world):
    survey = _rich_survey(world)
    version = survey_publish(survey=survey, actor=world.analyst)
    client = api_client(world.analyst)
    download = client.get(f"/api/surveys/{survey.id}/xlsform")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="round-trip-v1.xlsx"' in download["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(download.content))
    assert book.sheetnames == ["survey", "choices", "settings"]
    settings = dict(zip(*[[cell.value for cell in row] for row in book["settings"].iter_rows()], strict=True))
    assert settings == {"form_title": "Round =trip", "form_id": f"heed_survey_{survey.id}", "version": "1",
                        "default_language": "Italiano (it)"}  # fmt: skip
    formula_like = [cell for row in book["choices"].iter_rows() for cell in row if str(cell.value).startswith("=")]
    assert formula_like and all(cell.data_type == "s" for cell in formula_like)  # text, never a formula

    converted = convert(xlsform=download.content)  # pyxform converts it without error
    assert "<h:title>Round =trip</h:title>" in converted.xform

    upload = io.BytesIO(download.content)
    upload.name = "round-trip.xlsx"
    imported = client.post("/api/surveys/import-xlsform", {"file": upload})
    assert imported.status_code == 201, imported.content
    again = Survey.objects.get(pk=imported.json()["id"])
    assert survey_definition_build(survey=again).model_dump(mode="json") == version.definition


def test_every_template_exports_to_an_xlsform_pyxform_converts_and_imports_back_unchanged(world):
    from heed.surveys.templates_library import TEMPLATES

    for key in TEMPLATES:
        survey = survey_create(organisation=world.org, title=key, created_by=world.analyst,
                               languages=["en", "it", "hr", "bg", "ru", "et"], template_key=key)  # fmt: skip
        definition = survey_definition_build(survey=survey)
        content = definition_to_xlsform(definition, form_id=key, version="1")
        convert(xlsform=content)
        form = xlsform_read(content, organisation_language="en")
        again = survey_import_xlsform(organisation=world.org, created_by=world.analyst, data=content)[0]
        assert form.title == key
        assert survey_definition_build(survey=again).model_dump(mode="json") == definition.model_dump(mode="json")


def test_the_import_page_makes_a_draft_and_lists_the_report(world):
    client = login(world.analyst)
    assert 'href="/surveys/import/"' in client.get("/surveys/").content.decode()
    page = client.post("/surveys/import/", {"file": io.BytesIO(VISIT)}, follow=True)
    html = page.content.decode()
    survey = Survey.objects.get(title="Store visit", questions__key="q_1_a")
    assert page.redirect_chain[-1][0] == f"/surveys/{survey.id}/edit/"
    assert "The name Q-1.a became the key q_1_a." in html
    assert "visited is Yes and not (nps is at most 2)" in html  # the compound rule, as a sentence


def test_the_import_page_shows_each_refused_row_and_saves_nothing(world):
    client = login(world.analyst)
    before = Survey.objects.count()
    refused = workbook(
        [HEADER, ["begin_repeat", "r", "R", "R", "R", "", "", ""], ["end_repeat", "", "", "", "", "", "", ""]]
    )
    page = client.post("/surveys/import/", {"file": io.BytesIO(refused)})
    assert page.status_code == 422
    html = page.content.decode()
    assert "survey row 2: a repeat, which Heed does not support yet" in html and "Traceback" not in html
    assert Survey.objects.count() == before
    assert client.post("/surveys/import/", {"file": io.BytesIO(b"hello")}).status_code == 422


def test_the_edit_page_links_the_xlsform_of_the_latest_version_and_the_draft_before_publishing(world):
    client = login(world.analyst)
    html = client.get(f"/surveys/{world.survey.id}/edit/").content.decode()
    assert f'href="/surveys/{world.survey.id}/xlsform/"' in html
    download = client.get(f"/surveys/{world.survey.id}/xlsform/")
    assert download.status_code == 200 and download.content.startswith(b"PK")
    form = xlsform_read(download.content, organisation_language="en")
    version = survey_latest_version(survey=world.survey)
    assert [q["key"] for q in form.questions] == [q["key"] for q in version.definition["questions"]]
    assert client.get(f"/surveys/{world.survey.id}/xlsform/?version=99").status_code == 404
    assert client.get(f"/surveys/{world.survey.id}/xlsform/?version=abc").status_code == 404
    draft = survey_create(organisation=world.org, title="Draft only", created_by=world.analyst, languages=["en"])
    question_add(survey=draft, data={"key": "q1", "type": "text", "texts": {"en": "Hi"}})
    draft_file = client.get(f"/surveys/{draft.id}/xlsform/")
    assert draft_file.status_code == 200 and 'filename="draft-only-draft.xlsx"' in draft_file["Content-Disposition"]


def test_the_api_refuses_a_workbook_with_every_problem_and_bounds_the_file(world):
    client = api_client(world.analyst)
    refused = workbook([HEADER, ["calculate", "c", "", "", "", "", "", ""]])
    answer = client.post("/api/surveys/import-xlsform", {"file": io.BytesIO(refused)})
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "xlsform_refused"
    assert body["problems"] == ["survey row 2: a calculation, which Heed does not support yet"]
    too_big = client.post("/api/surveys/import-xlsform", {"file": io.BytesIO(b"x" * (MAX_XLSFORM_BYTES + 1))})
    assert too_big.status_code == 422 and too_big.json()["problems"] == ["The file is larger than 1024 KB."]
    assert client.post("/api/surveys/import-xlsform", {}).json()["code"] == "invalid_input"
    assert client.get(f"/api/surveys/{world.survey.id}/xlsform", {"version": 99}).status_code == 404
    assert (
        api_client(world.manager_a).post("/api/surveys/import-xlsform", {"file": io.BytesIO(VISIT)}).status_code == 403
    )


def test_the_openapi_documents_the_upload_and_the_download(world):
    schema = api_client(world.analyst).get("/api/openapi.json").json()
    upload = schema["paths"]["/api/surveys/import-xlsform"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert {"201", "422"} <= set(upload["responses"])
    download = schema["paths"]["/api/surveys/{survey_id}/xlsform"]["get"]
    assert download["responses"]["200"]["content"] == {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
            "schema": {"type": "string", "format": "binary"}
        }
    }


def test_a_definition_with_a_value_xlsform_cannot_quote_is_refused_in_words():
    definition = SurveyDefinition.model_validate({
        "title": "Quotes", "default_language": "en", "languages": ["en"],
        "questions": [
            {"key": "a", "type": "text", "texts": {"en": "A"}},
            {"key": "b", "type": "text", "texts": {"en": "B"},
             "show_if": {"question": "a", "op": "eq", "value": "it's \"x\""}},
        ],
    })  # fmt: skip
    with pytest.raises(Exception, match="cannot be written as XLSForm"):
        definition_to_xlsform(definition, form_id="q", version="1")
