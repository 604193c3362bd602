"""The service catalogue: the shipped services load cleanly, and broken files are explained."""

from __future__ import annotations

import ast
import dataclasses
import json
import logging
import re
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from hub.published import publish
from kiosk.catalogue import (
    SCHEMA_PATH,
    SERVICES_DIR,
    Catalogue,
    LoadProblem,
    check_services,
    load_catalogue,
)
from kiosk.service import FIELD_TYPES, Service, Step, Text

SHIPPED = (
    "pension_check",
    "senior_allowance",
    "insurance_balance",
    "doctor_appointment",
    "pay_bill",
    "report_problem",
    "application_status",
)
LANGUAGES = ("en", "zh_CN")
KNOWN = ("citizen.age, citizen.name, citizen.phone, citizen.address, citizen.city, "
         "citizen.district")
DOC = Path(__file__).resolve().parents[2] / "docs" / "service-format.md"

GOOD = """\
id: good
title: {en: A good service, zh_CN: 好服务}
summary: {en: It works, zh_CN: 能用}
icon: other
steps:
  - id: reference
    type: text
    title: {en: "What is your reference?", zh_CN: 您的编号是多少？}
"""


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    return load_catalogue()


def texts_in(value: object) -> list[Text]:
    """Every Text inside a loaded service, however deep."""
    if isinstance(value, Text):
        return [value]
    if dataclasses.is_dataclass(value):
        found = []
        for field in dataclasses.fields(value):
            found += texts_in(getattr(value, field.name))
        return found
    if isinstance(value, tuple | list):
        return [t for item in value for t in texts_in(item)]
    return []


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")


def load_with(tmp_path: Path, name: str, text: str) -> Catalogue:
    """`name` holding `text`, next to a valid file."""
    write(tmp_path, "good.yaml", GOOD)
    write(tmp_path, name, text)
    return load_catalogue(tmp_path)


def problems_of(catalogue: Catalogue, name: str) -> list[str]:
    return [str(p) for p in catalogue.problems if p.file == name]


# ---------------------------------------------------------------------------------------------
# The shipped services


def test_schema_is_a_valid_draft_2020_12_schema():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$defs"]["step"]["properties"]["type"]["enum"] == list(FIELD_TYPES)


def test_schema_fields_match_the_dataclasses():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    step_keys = set(schema["$defs"]["step"]["properties"])
    assert step_keys == {f.name for f in dataclasses.fields(Step)}
    service_keys = set(schema["properties"]) - {"$schema", "order"}
    assert service_keys == {f.name for f in dataclasses.fields(Service)} - {"source", "languages"}


def test_shipped_catalogue_loads_all_seven_services_without_problems(shipped):
    assert [str(p) for p in shipped.problems] == []
    assert shipped.ids == SHIPPED  # in their `order`
    assert all(s.source == f"{s.id}.yaml" for s in shipped.services)


@pytest.mark.parametrize("service_id", SHIPPED)
def test_every_text_is_in_english_and_chinese(shipped, service_id):
    service = shipped.get(service_id)
    for text in texts_in(service):
        for lang in LANGUAGES:
            assert text.by_lang.get(lang, "").strip(), f"{service_id}: {text.by_lang} lacks {lang}"
    assert set(LANGUAGES) <= service.languages


@pytest.mark.parametrize("service_id", SHIPPED)
def test_every_service_tells_people_what_they_need_and_what_happens_next(shipped, service_id):
    service = shipped.get(service_id)
    assert service.icon
    assert service.you_will_need
    if service.outcome == "submit":
        assert service.next_steps is not None
    for step in service.steps:
        assert step.title.get("en") and step.title.get("zh_CN")
        assert all(option.icon for option in step.options), f"{step.id}: an option lacks an icon"
        if step.type in ("phone", "address", "id_number") or step.prefill:
            assert step.personal or step.id == "place", f"{service_id}.{step.id} is personal"


def test_shipped_services_use_the_demo_backend_names(shipped):
    doctor = shipped.get("doctor_appointment")
    assert doctor.step("hospital").options_from == "hospitals"
    assert doctor.step("department").options_from == "departments"
    assert doctor.step("department").params == ("hospital",)
    assert doctor.step("slot").params == ("hospital", "department", "day")
    assert (doctor.step("day").min, doctor.step("day").max) == (1, 14)
    bill = shipped.get("pay_bill").step("bill")
    assert (bill.query, bill.params) == ("bill", ("utility", "account"))
    assert [s.key for s in bill.shown] == ["holder", "period", "amount", "due"]
    insurance = shipped.get("insurance_balance").step("insurance")
    assert insurance.query == "insurance"
    assert {s.key for s in insurance.shown} == {
        "balance", "spent_this_year", "last_claim_date", "last_claim_amount", "last_claim_place"
    }
    status = shipped.get("application_status").step("status")
    assert (status.query, status.params) == ("application_status", ("reference",))
    assert [s.key for s in status.shown] == ["service", "submitted", "status", "updated", "next"]


def test_senior_allowance_is_for_people_aged_80_and_over(shipped):
    service = shipped.get("senior_allowance")
    (rule,) = service.eligibility
    assert (rule.rule.field, rule.rule.op, rule.rule.value) == ("citizen.age", ">=", 80)
    assert "{citizen.age}" in rule.reason.get("en")
    assert "{citizen.age}" in rule.reason.get("zh_CN")
    contact = service.step("emergency_phone")
    assert (contact.when.field, contact.when.op, contact.when.value) == (
        "answers.lives_alone", "==", True
    )


def test_catalogue_get_unknown_service_raises_key_error(shipped):
    with pytest.raises(KeyError):
        shipped.get("no_such_service")


def test_catalogue_imports_no_qt():
    source = Path(__file__).resolve().parents[2] / "kiosk" / "catalogue.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    imported = {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.startswith(("PySide6", "shiboken6", "ui")) for name in imported)


def icons_of(service: Service) -> set[str]:
    return {service.icon} | {o.icon for step in service.steps for o in step.options}


def test_the_guide_lists_every_icon_the_shipped_services_use(shipped):
    guide = DOC.read_text(encoding="utf-8")
    listed = guide.split("The icons used by the shipped services are:")[1].split("## ")[0]
    used = set().union(*(icons_of(s) for s in shipped.services))
    assert set(re.findall(r"`([a-z_]+)`", listed)) == used


def test_the_example_in_the_guide_is_a_valid_service(tmp_path):
    guide = DOC.read_text(encoding="utf-8")
    example = guide.split("```yaml\n")[1].split("```")[0]
    (tmp_path / "bus_pass.yaml").write_text(example, encoding="utf-8")
    catalogue = load_catalogue(tmp_path)
    assert catalogue.problems == ()
    service = catalogue.get("bus_pass")
    assert service.languages == frozenset(LANGUAGES)
    assert service.step("companion_name").when.field == "answers.companion"


# ---------------------------------------------------------------------------------------------
# Broken files: each is explained, the file is skipped, the good file beside it still loads


def test_yaml_syntax_error_names_the_file_and_line(tmp_path):
    catalogue = load_with(tmp_path, "broken.yaml", """\
        id: broken
        title:
          en: Hello
         zh_CN: 你好
        """)
    assert catalogue.ids == ("good",)
    (problem,) = catalogue.problems
    assert (problem.file, problem.path) == ("broken.yaml", "line 4")
    assert str(problem) == (
        "broken.yaml, at line 4: this is not valid YAML: the indentation is wrong here; keys of "
        "the same block must start in exactly the same column (use spaces, not tabs) "
        "(line 4, column 2)"
    )


def test_a_key_written_twice_is_an_error_not_silently_ignored(tmp_path):
    catalogue = load_with(tmp_path, "twice.yaml", GOOD + "title: {en: Again}\n")
    assert catalogue.ids == ("good",)
    assert problems_of(catalogue, "twice.yaml") == [
        "twice.yaml, at line 9: this is not valid YAML: "
        "the key 'title' is written twice in the same block (line 9, column 1)"
    ]


def test_a_question_mark_inside_braces_reads_as_the_author_meant(tmp_path):
    """libyaml reads `{en: What is it?}` as written (PyYAML alone refuses it); the hub
    publishes the file as the kiosk reads it."""
    catalogue = load_with(tmp_path, "mark.yaml", GOOD.replace("id: good", "id: mark").replace(
        '"What is your reference?"', "What is your reference?"))
    assert [str(p) for p in catalogue.problems] == []
    assert catalogue.get("mark").steps[0].title.get("en") == "What is your reference?"
    published = publish(tmp_path).get("mark")
    assert published is not None
    assert published["steps"][0]["title"] == {"en": "What is your reference?",
                                              "zh_CN": "您的编号是多少？"}


def test_a_colon_inside_braces_is_explained(tmp_path):
    catalogue = load_with(tmp_path, "colon.yaml", GOOD.replace("id: good", "id: colon").replace(
        '"What is your reference?"', "Reference: the number on your letter"))
    assert problems_of(catalogue, "colon.yaml") == [
        "colon.yaml, at line 8: this is not valid YAML: something inside { } is not written "
        "right; put texts that contain ? : , or # in quotes, or write each key on its own line "
        "(line 8, column 26)"
    ]


def test_a_typo_in_a_key_suggests_the_right_key(tmp_path):
    catalogue = load_with(tmp_path, "typo.yaml", GOOD.replace("id: good", "id: typo").replace(
        "    title: {en: \"What", "    titel: {en: \"What"))
    assert catalogue.ids == ("good",)
    assert problems_of(catalogue, "typo.yaml") == [
        "typo.yaml, at steps[0]: 'titel' is not a known key here; did you mean 'title'?",
        "typo.yaml, at steps[0]: 'title' is a required property",
    ]


def test_a_missing_title_is_reported_where_it_is_missing(tmp_path):
    catalogue = load_with(tmp_path, "no_title.yaml", """\
        id: no_title
        title: {en: No title, zh_CN: 没标题}
        summary: {en: Missing one, zh_CN: 少一个}
        icon: x
        steps:
          - id: first
            type: yesno
            title: {en: First}
          - id: second
            type: yesno
        """)
    assert catalogue.ids == ("good",)
    assert problems_of(catalogue, "no_title.yaml") == [
        "no_title.yaml, at steps[1]: 'title' is a required property"
    ]


def test_a_text_without_english_says_en_is_required(tmp_path):
    catalogue = load_with(tmp_path, "no_en.yaml", GOOD.replace("id: good", "id: no_en").replace(
        "{en: \"What is your reference?\", zh_CN: 您的编号是多少？}", "{zh_CN: 您的编号是多少？}"))
    (problem,) = catalogue.problems
    assert problem == LoadProblem("no_en.yaml", "steps[0].title", "'en' is a required property")
    assert str(problem) == "no_en.yaml, at steps[0].title: 'en' is a required property"


def test_a_wrong_step_type_lists_the_types_there_are(tmp_path):
    catalogue = load_with(tmp_path, "bad_type.yaml", GOOD.replace("id: good", "id: bad_type")
                          .replace("type: text", "type: textbox"))
    assert catalogue.ids == ("good",)
    assert problems_of(catalogue, "bad_type.yaml") == [
        "bad_type.yaml, at steps[0].type: 'textbox' is not allowed here; use one of: choice, "
        "yesno, number, money, date, text, id_number, phone, address, consent, info, slot, lookup"
    ]


def test_a_bad_condition_operator_lists_the_operators_there_are(tmp_path):
    catalogue = load_with(tmp_path, "bad_op.yaml", GOOD.replace("id: good", "id: bad_op") + """\
  - id: more
    type: text
    title: {en: More}
    when: {field: answers.reference, op: "=<", value: 3}
""")
    assert catalogue.ids == ("good",)
    assert problems_of(catalogue, "bad_op.yaml") == [
        "bad_op.yaml, at steps[1].when.op: '=<' is not allowed here; use one of: "
        "==, !=, >=, <=, >, <, in, not_in, answered, not_answered"
    ]


def test_a_condition_written_as_one_line_is_explained(tmp_path):
    catalogue = load_with(tmp_path, "line.yaml", GOOD.replace("id: good", "id: line") + """\
  - id: more
    type: text
    title: {en: More}
    when: answers.reference == "x"
""")
    assert problems_of(catalogue, "line.yaml") == [
        "line.yaml, at steps[1].when: a condition must be written as keys (field, op and value, "
        """or all: / any:), not as the text 'answers.reference == "x"'"""
    ]


def test_yes_without_quotes_is_explained(tmp_path):
    catalogue = load_with(tmp_path, "yes.yaml", """\
        id: yes_no
        title: {en: Yes, zh_CN: 是}
        summary: {en: S, zh_CN: 是}
        icon: x
        steps:
          - id: pick
            type: choice
            title: {en: Pick}
            options:
              - {value: no, label: {en: None}}
        """)
    assert sorted(problems_of(catalogue, "yes.yaml")) == [
        "yes.yaml, at steps[0].options[0].value: this should be text, but it is the value false "
        "(in YAML, yes/no/on/off/true/false without quotes mean true or false: "
        "put the word in quotes)",
        "yes.yaml, at title.en: this should be text, but it is the value true (in YAML, "
        "yes/no/on/off/true/false without quotes mean true or false: put the word in quotes)",
    ]


def test_duplicate_step_ids(tmp_path):
    catalogue = load_with(tmp_path, "dup.yaml", GOOD.replace("id: good", "id: dup") + """\
  - id: reference
    type: phone
    title: {en: Phone}
""")
    assert catalogue.ids == ("good",)
    assert problems_of(catalogue, "dup.yaml") == [
        "dup.yaml, at steps[1].id: the step id 'reference' is already used by steps[0]; "
        "each step needs its own id"
    ]


def test_a_condition_naming_a_later_step(tmp_path):
    catalogue = load_with(tmp_path, "later.yaml", """\
        id: later
        title: {en: Later}
        summary: {en: Later}
        icon: x
        steps:
          - id: contact
            type: phone
            title: {en: Who can we call}
            when: {field: answers.lives_alone, op: "==", value: true}
          - id: lives_alone
            type: yesno
            title: {en: Do you live alone}
          - id: extra
            type: text
            title: {en: Anything else}
            when: {any: [{field: answers.nothing_here, op: answered}]}
        """)
    assert catalogue.ids == ("good",)
    assert problems_of(catalogue, "later.yaml") == [
        "later.yaml, at steps[0].when.field: the step 'lives_alone' comes later than this "
        "(or is this step itself); a step can only use answers given before it",
        "later.yaml, at steps[2].when.any[0].field: there is no step with the id 'nothing_here' "
        "in this service",
    ]


def test_params_must_name_earlier_answers(tmp_path):
    catalogue = load_with(tmp_path, "params.yaml", """\
        id: params
        title: {en: Params}
        summary: {en: Params}
        icon: x
        steps:
          - id: slot
            type: slot
            title: {en: What time}
            params: [hospital]
          - id: hospital
            type: choice
            options_from: hospitals
            title: {en: Which hospital}
        """)
    assert problems_of(catalogue, "params.yaml") == [
        "params.yaml, at steps[0].params[0]: the step 'hospital' comes later than this "
        "(or is this step itself); a step can only use answers given before it"
    ]


def test_choice_lookup_and_prefill_mistakes(tmp_path):
    catalogue = load_with(tmp_path, "steps.yaml", """\
        id: steps
        title: {en: Steps}
        summary: {en: Steps}
        icon: x
        needs_identity: true
        steps:
          - id: pick
            type: choice
            title: {en: Pick one}
          - id: pick_again
            type: choice
            title: {en: Pick one}
            options:
              - {value: a, label: {en: A}}
              - {value: a, label: {en: B}}
          - id: found
            type: lookup
            title: {en: Found}
            shown: [{key: amount, label: {en: Amount}}]
          - id: phone
            type: phone
            title: {en: Your phone}
            prefill: phone
          - id: age
            type: number
            title: {en: Your age}
            prefill: citizen.lives_alone
        """)
    assert problems_of(catalogue, "steps.yaml") == [
        "steps.yaml, at steps[0]: a choice step needs 'options' (the answers to choose from) "
        "or 'options_from'",
        "steps.yaml, at steps[1].options[1].value: the value 'a' is already used by options[0]; "
        "each option of a step needs its own value",
        "steps.yaml, at steps[2]: a lookup step needs 'query' (which lookup to run, "
        "for example bill)",
        "steps.yaml, at steps[3].prefill: prefill must start with 'citizen.' (one of: "
        f"{KNOWN}), not 'phone'",
        "steps.yaml, at steps[4].prefill: 'citizen.lives_alone' is not something the kiosk knows "
        f"about the citizen; it knows {KNOWN}",
    ]


def test_citizen_facts_need_identity(tmp_path):
    catalogue = load_with(tmp_path, "anon.yaml", """\
        id: anon
        title: {en: Anonymous}
        summary: {en: No card}
        icon: x
        eligibility:
          - rule: {field: citizen.age, op: ">=", value: 80}
            reason: {en: For people aged 80 and over.}
            instead: {en: Ask at the counter.}
        steps:
          - {id: ok, type: info, title: {en: Hello}}
        """)
    assert problems_of(catalogue, "anon.yaml") == [
        "anon.yaml, at eligibility[0].rule.field: 'citizen.age' needs the citizen's identity: "
        "add 'needs_identity: true' to the service"
    ]


def test_eligibility_can_only_use_facts_about_the_citizen(tmp_path):
    catalogue = load_with(tmp_path, "early.yaml", """\
        id: early
        title: {en: Early}
        summary: {en: Early}
        icon: x
        eligibility:
          - rule: {field: answers.lives_alone, op: "==", value: true}
            reason: {en: For people who live alone.}
            instead: {en: Ask at the counter.}
        steps:
          - {id: lives_alone, type: yesno, title: {en: Do you live alone}}
        """)
    assert problems_of(catalogue, "early.yaml") == [
        "early.yaml, at eligibility[0].rule.field: this is used before the first question, so it "
        "can only use facts about the citizen (citizen.age, citizen.name, ...), not answers"
    ]


def test_placeholders_are_only_for_eligibility_reasons(tmp_path):
    catalogue = load_with(tmp_path, "fill.yaml", """\
        id: fill
        title: {en: Fill}
        summary: {en: "Pay {lookup.bill.amount}"}
        icon: x
        needs_identity: true
        eligibility:
          - rule: {field: citizen.age, op: ">=", value: 80}
            reason: {en: "You are {citizen.age}, living at {citizen.home}."}
            instead: {en: Ask at the counter.}
        steps:
          - {id: hello, type: info, title: {en: Hello}}
        """)
    assert problems_of(catalogue, "fill.yaml") == [
        "fill.yaml, at summary.en: '{lookup.bill.amount}' would be shown as it is: placeholders "
        "such as {citizen.age} are filled in only in an eligibility reason",
        "fill.yaml, at eligibility[0].reason.en: 'citizen.home' is not something the kiosk knows "
        f"about the citizen; it knows {KNOWN}",
    ]


def test_the_same_id_in_a_yaml_and_a_json_file_keeps_the_first(tmp_path):
    write(tmp_path, "good.json", json.dumps(yaml.safe_load(GOOD)))
    write(tmp_path, "good.yaml", GOOD.replace("A good service", "A copy"))
    catalogue = load_catalogue(tmp_path)
    assert catalogue.ids == ("good",)
    assert catalogue.get("good").source == "good.json"
    assert [str(p) for p in catalogue.problems] == [
        "good.yaml, at id: the service id 'good' is already used by good.json; "
        "each service needs its own id, so this file was not loaded"
    ]


def test_every_schema_error_of_a_file_is_reported(tmp_path):
    catalogue = load_with(tmp_path, "many.yaml", """\
        id: Many
        title: {en: Many}
        icon: x
        steps:
          - id: one
            type: textbox
            title: {english: One}
        """)
    # jsonschema's best match first (here the shallowest), then the rest in the file's order
    assert problems_of(catalogue, "many.yaml") == [
        "many.yaml: 'summary' is a required property",
        "many.yaml, at id: 'Many' is not written the right way here (use only lower-case letters, "
        "digits and _, starting with a letter); for example: pension_check, lives_alone",
        "many.yaml, at steps[0].title: 'en' is a required property",
        "many.yaml, at steps[0].title: 'english' is not a language code; write codes like en or "
        "zh_CN (language, then _ and the country in capitals)",
        "many.yaml, at steps[0].type: 'textbox' is not allowed here; use one of: choice, yesno, "
        "number, money, date, text, id_number, phone, address, consent, info, slot, lookup",
    ]


def test_other_bad_files_are_skipped_with_a_reason(tmp_path):
    write(tmp_path, "good.yaml", GOOD)
    write(tmp_path, "empty.yml", "")
    write(tmp_path, "list.json", "[1, 2]")
    write(tmp_path, "comma.json", '{"id": "x",}')
    (tmp_path / "latin1.yaml").write_bytes("id: caf\xe9\n".encode("latin-1"))
    write(tmp_path, "notes.txt", "not a service")
    catalogue = load_catalogue(tmp_path)
    assert catalogue.ids == ("good",)
    assert [str(p) for p in catalogue.problems] == [
        "comma.json, at line 1: this is not valid JSON: Expecting property name enclosed in "
        "double quotes (line 1, column 12)",
        "empty.yml: the file is empty",
        "latin1.yaml: the file is not saved as UTF-8 text; save it again choosing the UTF-8 "
        "encoding",
        "list.json: the file should describe one service (lines like 'id: ...', 'title: ...', "
        "'steps: ...'), but it holds a list",
    ]


def test_json_files_and_order(tmp_path):
    data = {
        "id": "first_by_order",
        "order": 1,
        "title": {"en": "First", "zh_CN": "第一"},
        "summary": {"en": "First", "zh_CN": "第一"},
        "icon": "other",
        "steps": [{"id": "hello", "type": "info", "title": {"en": "Hello", "zh_CN": "您好"}}],
    }
    (tmp_path / "first_by_order.json").write_text(json.dumps(data), encoding="utf-8")
    write(tmp_path, "good.yaml", GOOD)
    write(tmp_path, "another.yml", GOOD.replace("id: good", "id: another"))
    catalogue = load_catalogue(tmp_path)
    assert catalogue.problems == ()
    assert catalogue.ids == ("first_by_order", "another", "good")
    assert catalogue.get("good").languages == frozenset({"en", "zh_CN"})


def test_the_schema_file_itself_is_not_a_service(tmp_path):
    shutil.copy(SCHEMA_PATH, tmp_path / SCHEMA_PATH.name)
    write(tmp_path, "good.yaml", GOOD)
    assert load_catalogue(tmp_path).problems == ()


def test_a_missing_folder_gives_an_empty_catalogue_with_one_problem(tmp_path):
    catalogue = load_catalogue(tmp_path / "nowhere")
    assert catalogue.services == ()
    (problem,) = catalogue.problems
    assert problem.message == f"the services folder {tmp_path / 'nowhere'} does not exist"


def test_each_problem_is_logged_as_a_warning(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="kiosk.catalogue"):
        load_with(tmp_path, "empty.yaml", "")
    assert [r.getMessage() for r in caplog.records] == ["empty.yaml: the file is empty"]


def test_check_services_prints_problems_and_a_count(tmp_path, capsys):
    write(tmp_path, "good.yaml", GOOD)
    assert check_services(tmp_path) == 0
    assert capsys.readouterr().out == "1 service loaded\n"

    write(tmp_path, "empty.yaml", "")
    assert check_services(tmp_path) == 1
    assert capsys.readouterr().out == (
        "empty.yaml: the file is empty\n"
        "1 service loaded\n"
        "1 file not loaded because of the problems above\n"
    )


def test_check_services_on_the_shipped_folder(capsys):
    assert check_services(SERVICES_DIR) == 0
    assert capsys.readouterr().out == "7 services loaded\n"


def test_load_problem_str_without_a_path():
    assert str(LoadProblem("a.yaml", "", "the file is empty")) == "a.yaml: the file is empty"
