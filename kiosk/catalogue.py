"""The catalogue: every service file in assets/services/, checked and loaded.

Services are data, not code. Each `*.yaml` / `*.yml` / `*.json` file in the folder describes one
service (see docs/service-format.md). A file is checked against `service.schema.json`, then for
mistakes a schema cannot see (a condition naming a step that does not exist, two steps with the
same id, ...). A file with any problem is skipped whole and reported in plain English for the
centre admin; the other files still load. Nothing here raises for a bad file.
"""

from __future__ import annotations

import difflib
import json
import logging
import math
import string
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from kiosk.checked_services import CheckedFiles, source_hash
from kiosk.i18n import languages
from kiosk.resources import SERVICES_DIR
from kiosk.service import (
    DISPLAY_ONLY,
    Condition,
    Confirmation,
    Eligibility,
    Option,
    Service,
    Shown,
    Step,
    Text,
)

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

log = logging.getLogger(__name__)

Found = tuple[str, str]  # (path inside the file, message)

SCHEMA_FILE = "service.schema.json"
SCHEMA_PATH = SERVICES_DIR / SCHEMA_FILE
SUFFIXES = (".yaml", ".yml", ".json")

ICONS_DIR = SERVICES_DIR.parent / "icons"

# What the kiosk knows about an identified citizen (condition fields, prefill, placeholders);
# city and district are read from the address (kiosk.citizen.residence).
CITIZEN_FIELDS = ("age", "name", "phone", "address", "city", "district")


@dataclass(frozen=True)
class LoadProblem:
    """One thing wrong with one service file, worded for a centre admin."""

    file: str  # file name, e.g. "senior_allowance.yaml"
    path: str  # where inside the file, e.g. "steps[2].options[0].label"; "" for the whole file
    message: str  # what is wrong, in plain English

    def __str__(self) -> str:
        if self.path:
            return f"{self.file}, at {self.path}: {self.message}"
        return f"{self.file}: {self.message}"


@dataclass(frozen=True)
class Catalogue:
    services: tuple[Service, ...]
    problems: tuple[LoadProblem, ...]

    def get(self, service_id: str) -> Service:
        for service in self.services:
            if service.id == service_id:
                return service
        raise KeyError(service_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(service.id for service in self.services)


# ---------------------------------------------------------------------------------------------
# Loading


def load_catalogue(folder: Path = SERVICES_DIR) -> Catalogue:
    """Load every service file in `folder`; bad files are skipped and listed in `problems`."""
    return _load_catalogue(folder, warn=True)


def _load_catalogue(folder: Path, *, warn: bool) -> Catalogue:
    folder = Path(folder)
    if not folder.is_dir():
        problem = LoadProblem(
            folder.name or str(folder), "", f"the services folder {folder} does not exist"
        )
        if warn:
            log.warning("%s", problem)
        return Catalogue(services=(), problems=(problem,))

    loaded: list[tuple[float, Service]] = []
    seen: dict[str, str] = {}  # service id -> file it came from
    problems: list[LoadProblem] = []
    checked = CheckedFiles.default(_checks_key())
    for path in _service_files(folder):
        try:
            found, order, file_problems = _load_file(path, checked)
        except Exception as exc:  # a bad file must never stop the kiosk
            log.exception("unexpected error loading %s", path.name)
            found, order = None, 0.0
            file_problems = [LoadProblem(path.name, "", f"unexpected error: {exc!r}")]
        if found is not None and found.id in seen:  # foo.yaml and foo.json
            file_problems = [
                LoadProblem(
                    path.name,
                    "id",
                    f"the service id '{found.id}' is already used by {seen[found.id]}; "
                    "each service needs its own id, so this file was not loaded",
                )
            ]
        if file_problems:
            for problem in file_problems if warn else ():
                log.warning("%s", problem)
            problems.extend(file_problems)
            continue
        assert found is not None
        seen[found.id] = path.name
        loaded.append((order, found))

    checked.save()
    loaded.sort(key=lambda item: (item[0], item[1].id))
    return Catalogue(services=tuple(s for _, s in loaded), problems=tuple(problems))


def check_services(folder: Path = SERVICES_DIR) -> int:
    """`python main.py check-services`: print each problem and a count; exit code 0 or 1."""
    catalogue = _load_catalogue(folder, warn=False)  # printed here instead
    for problem in catalogue.problems:
        print(problem)
    count = len(catalogue.services)
    print(f"{count} service{'' if count == 1 else 's'} loaded")
    if catalogue.problems:
        files = len({p.file for p in catalogue.problems})
        print(f"{files} file{'' if files == 1 else 's'} not loaded because of the problems above")
        return 1
    return 0


def _service_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix.lower() in SUFFIXES
        and p.name != SCHEMA_FILE
        and not p.name.endswith(".schema.json")
        and not p.name.startswith(".")
    )


def _load_file(path: Path, checked: CheckedFiles | None = None
               ) -> tuple[Service | None, float, list[LoadProblem]]:
    """The service in one file, or its problems; `checked` remembers outcomes by content."""
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, 0, [LoadProblem(name, "", f"the file cannot be read ({exc.strerror})")]
    key = checked.key(name, raw) if checked is not None else ""
    known = checked.get(key) if checked is not None else None
    if known is None:
        data, found = _checked(path, raw)
        if checked is not None:
            checked.put(key, data, found)
    else:
        data, found = known
    if data is None:
        return None, 0, [LoadProblem(name, p, m) for p, m in found]
    order = data.get("order")
    return parse_service(data, name), (math.inf if order is None else float(order)), []


def _checked(path: Path, raw: bytes) -> tuple[dict[str, Any] | None, list[Found]]:
    """(the service's data, []) for a good file; (None, its problems) for a bad one."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [("", "the file is not saved as UTF-8 text; save it again choosing the "
                       "UTF-8 encoding")]
    data, problem = _parse_text(path.name, text, json_file=path.suffix.lower() == ".json")
    if problem is not None:
        return None, [(problem.path, problem.message)]
    if data is None or (isinstance(data, str) and not data.strip()):
        return None, [("", "the file is empty")]
    if not isinstance(data, dict):
        return None, [("", "the file should describe one service (lines like 'id: ...', "
                       f"'title: ...', 'steps: ...'), but it holds {_kind(data)}")]
    problems = schema_problems(data) or semantic_problems(data) \
        or completeness_problems(data, path)  # the last: does a good file fit this kiosk?
    return (None, problems) if problems else (data, [])


def _checks_key() -> str:
    """What the checks read besides a file: this code, the schema, the languages, the
    pictures. A file is checked again when any of them changes."""
    icons = sorted(p.name for p in ICONS_DIR.glob("*.svg")) if ICONS_DIR.is_dir() else []
    return "\n".join([source_hash(Path(__file__), SCHEMA_PATH), *offered_languages(), *icons])


def _parse_text(name: str, raw: str, *, json_file: bool) -> tuple[Any, LoadProblem | None]:
    try:
        return read_service_text(raw, json_file=json_file), None
    except json.JSONDecodeError as exc:
        return None, LoadProblem(
            name, f"line {exc.lineno}",
            f"this is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and "end of stream" in (exc.problem or ""):
            mark = exc.context_mark  # where the unclosed quote or bracket was opened
        what = _yaml_words(exc.problem or exc.context or "the text cannot be read")
        if mark is None:
            return None, LoadProblem(name, "", f"this is not valid YAML: {what}")
        return None, LoadProblem(
            name, f"line {mark.line + 1}",
            f"this is not valid YAML: {what} (line {mark.line + 1}, column {mark.column + 1})")
    except yaml.YAMLError as exc:
        return None, LoadProblem(name, "", f"this is not valid YAML: {exc}")


# PyYAML's words for the usual slips, and what a centre admin can do about them.
_YAML_SLIPS = (
    ("expected <block end>", "the indentation is wrong here; keys of the same block must start "
     "in exactly the same column (use spaces, not tabs)"),
    ("mapping values are not allowed", "there is a ':' where it cannot be; put a text that "
     "contains ': ' in quotes, or check the indentation"),
    ("could not find expected ':'", "a line is missing the ':' after its key, or a quote is not "
     "closed"),
    ("cannot start any token", "there is a character that cannot start a value here (a tab, or "
     "a symbol such as @ or `); indent with spaces and put such text in quotes"),
    ("found unexpected end of stream", "a quote or bracket is opened but never closed"),
    ("expected ',' or '}'", "something inside { } is not written right; put texts that "
     "contain ? : , or # in quotes, or write each key on its own line"),
    ("did not find expected key", "the indentation is wrong here, or a '- ' is missing before a "
     "list item"),
    ("did not find expected '-' indicator", "a list item is missing its '- ' or is indented "
     "differently from the others"),
)


def _yaml_words(problem: str) -> str:
    for slip, words in _YAML_SLIPS:
        if slip in problem:
            return words
    return problem


def read_service_text(text: str, *, json_file: bool) -> Any:
    """A service file's data, read the same way by the kiosk and the hub (hub.published)."""
    return json.loads(text) if json_file else read_yaml(text)


def read_yaml(text: str) -> Any:
    """yaml.safe_load with libyaml's speed, except that a key written twice in one block is an
    error. libyaml refuses less than PyYAML (it reads `{en: What is it?}` as meant); when it
    refuses, PyYAML reads the text again, so an error always carries PyYAML's message, for
    which _YAML_SLIPS gives advice."""
    try:
        return yaml.load(text, Loader=_FastLoader)
    except yaml.YAMLError:  # rare: a slip, raised again in PyYAML's words
        return yaml.load(text, Loader=_StrictLoader)


def _construct_mapping(loader: yaml.constructor.SafeConstructor, node: yaml.MappingNode,
                       deep: bool = False):
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            duplicate = key in seen
            seen.add(key)
        except TypeError:  # an unhashable key: let PyYAML report it
            continue
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' is written twice in the same block",
                key_node.start_mark,
            )
    return loader.construct_mapping(node, deep=deep)


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, keys written twice refused."""


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

if yaml.__with_libyaml__:
    class _FastLoader(yaml.CSafeLoader):
        """libyaml's safe loader (about ten times faster), keys written twice refused."""

    _FastLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                                _construct_mapping)
else:  # PyYAML built without libyaml
    _FastLoader = _StrictLoader


# ---------------------------------------------------------------------------------------------
# Schema check


@cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator  # only when a file is checked: not each start

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def schema_problems(data: Any) -> list[Found]:
    """Every schema error of one file as (path, message), the most useful first."""
    errors = list(_validator().iter_errors(data))
    if not errors:
        return []
    from jsonschema.exceptions import best_match

    best = best_match(errors)
    ordered = sorted(errors, key=_document_order)
    if best is not None:
        # best_match may descend into a sub-error that is not in `errors` itself.
        ordered = [best, *(e for e in ordered if e is not best)]
    result: list[Found] = []
    for error in ordered:
        item = (render_path(error.absolute_path), _explain(error))
        if item not in result:
            result.append(item)
    return result


def _document_order(error: ValidationError) -> list[tuple[int, Any]]:
    return [(0, p) if isinstance(p, int) else (1, str(p)) for p in error.absolute_path]


def render_path(parts: Iterable[Any]) -> str:
    """`["steps", 2, "title"]` -> `steps[2].title`."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


_KINDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list (lines starting with '- ')",
    "object": "a group of 'key: value' lines",
    "null": "nothing",
}


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the value {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of keys"
    return type(value).__name__


def _explain(error: ValidationError) -> str:
    """A jsonschema error in words a centre admin can act on."""
    v, value, schema = error.validator, error.instance, error.schema
    in_names = "propertyNames" in error.schema_path
    if v == "required":
        return error.message  # "'en' is a required property"
    if v == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        extras = [k for k in value if k not in allowed] if isinstance(value, dict) else []
        parts = []
        for key in extras:
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            if close:
                parts.append(f"'{key}' is not a known key here; did you mean '{close[0]}'?")
            else:
                parts.append(f"'{key}' is not a known key here; "
                             f"the keys allowed here are: {', '.join(allowed)}")
        return " ".join(parts) or error.message
    if v == "pattern" and in_names:
        return (f"'{value}' is not a language code; write codes like en or zh_CN "
                "(language, then _ and the country in capitals)")
    if v == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        return f"{_quote(value)} is not allowed here; use one of: {choices}"
    if v == "type":
        wanted = error.validator_value
        wanted = wanted if isinstance(wanted, list) else [wanted]
        words = " or ".join(_KINDS.get(w, w) for w in wanted)
        if schema.get("title") in ("All of these", "Any of these", "A single test"):
            return (f"a condition must be written as keys (field, op and value, or all: / any:), "
                    f"not as {_kind(value)}")
        message = f"this should be {words}, but it is {_kind(value)}"
        if "string" in wanted and isinstance(value, bool):
            message += (" (in YAML, yes/no/on/off/true/false without quotes mean true or false: "
                        "put the word in quotes)")
        elif "string" in wanted and isinstance(value, int | float):
            message += f" (put it in quotes: '{value}')"
        return message
    if v == "pattern":
        examples = schema.get("examples")
        message = f"{_quote(value)} is not written the right way here"
        if schema.get("title") == "Field path":
            return (f"{_quote(value)} is not a field the kiosk knows; write citizen.<fact>, "
                    "answers.<step id> or lookup.<step id>.<key> (for example citizen.age)")
        if schema.get("title") in ("Id", "Icon name"):
            message += " (use only lower-case letters, digits and _, starting with a letter)"
        if examples:
            message += f"; for example: {', '.join(str(e) for e in examples)}"
        return message
    if v == "minLength":
        return "this must not be empty"
    if v == "minItems":
        if error.validator_value == 1:
            return "this list must not be empty"
        return f"this list needs at least {error.validator_value} items"
    if v == "minimum":
        return f"this must be at least {error.validator_value}"
    return error.message


def _quote(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else _kind(value)


# ---------------------------------------------------------------------------------------------
# Checks the schema cannot make


BEFORE_START = -1  # "before": for what is used before the first question (eligibility)


def semantic_problems(data: dict[str, Any]) -> list[Found]:
    """Mistakes in a schema-valid file: ids, references between steps, missing parts."""
    problems: list[Found] = []
    steps: list[dict[str, Any]] = data["steps"]
    identified = bool(data.get("needs_identity", False))
    first_index: dict[str, int] = {}
    for i, step in enumerate(steps):
        if step["id"] in first_index:
            problems.append((
                f"steps[{i}].id",
                f"the step id '{step['id']}' is already used by steps[{first_index[step['id']]}]; "
                "each step needs its own id",
            ))
        else:
            first_index[step["id"]] = i
    types = {s["id"]: s["type"] for s in reversed(steps)}

    def refers(where: str, name: str, kind: str, before: int | None) -> Iterator[Found]:
        """A reference to an answer (kind 'answers') or a lookup result (kind 'lookup')."""
        if before == BEFORE_START:
            yield where, ("this is used before the first question, so it can only use facts "
                          "about the citizen (citizen.age, citizen.name, ...), not answers")
            return
        if name not in first_index:
            yield where, f"there is no step with the id '{name}' in this service"
            return
        if before is not None and first_index[name] >= before:
            yield where, (f"the step '{name}' comes later than this (or is this step itself); "
                          "a step can only use answers given before it")
            return
        step_type = types[name]
        if kind == "answers" and step_type in DISPLAY_ONLY:
            yield where, (f"the step '{name}' is a {step_type} step and takes no answer; "
                          f"to use what it found write lookup.{name}.<key>")
        if kind == "lookup" and step_type != "lookup":
            yield where, (f"the step '{name}' is not a lookup step; "
                          f"to use its answer write answers.{name}")

    def field_path(where: str, path: str, before: int | None) -> Iterator[Found]:
        head, _, rest = path.partition(".")
        if head == "citizen":
            if rest not in CITIZEN_FIELDS:
                known = ", ".join(f"citizen.{f}" for f in CITIZEN_FIELDS)
                yield where, (f"'{path}' is not something the kiosk knows about the citizen; "
                              f"it knows {known}")
            elif not identified:
                yield where, (f"'{path}' needs the citizen's identity: "
                              "add 'needs_identity: true' to the service")
        elif head == "answers":
            yield from refers(where, rest, "answers", before)
        elif head == "lookup":
            yield from refers(where, rest.partition(".")[0], "lookup", before)
        else:  # the schema already refuses anything else
            yield where, f"'{path}' is not a field the kiosk knows"

    def condition(where: str, cond: dict[str, Any], before: int | None) -> Iterator[Found]:
        for group in ("all", "any"):
            if group in cond:
                for j, sub in enumerate(cond[group]):
                    yield from condition(f"{where}.{group}[{j}]", sub, before)
                return
        yield from field_path(f"{where}.field", cond["field"], before)
        if cond["field"] == "citizen.address" and cond["op"] in ("==", "!=", "in", "not_in"):
            yield f"{where}.field", ("citizen.address is the whole address (street and number "
                                     "too), so it is never equal to a place; to test where the "
                                     "citizen lives use citizen.district or citizen.city")

    def placeholders(where: str, text: dict[str, str], fills: bool) -> Iterator[Found]:
        """`{citizen.age}` is filled in an eligibility reason; anywhere else it would show as is."""
        for lang, words in text.items():
            try:
                names = [f for _, f, _, _ in string.Formatter().parse(words) if f is not None]
            except ValueError:
                if fills:
                    yield f"{where}.{lang}", ("a '{' or '}' without its partner; placeholders "
                                              "are written like {citizen.age}")
                continue
            for name in names:
                if not fills:
                    yield f"{where}.{lang}", (
                        f"'{{{name}}}' would be shown as it is: placeholders such as "
                        "{citizen.age} are filled in only in an eligibility reason")
                elif name.partition(".")[0] != "citizen":
                    yield f"{where}.{lang}", (
                        f"'{{{name}}}' is not a placeholder the kiosk can fill; an eligibility "
                        "reason can use " + ", ".join(f"{{citizen.{f}}}" for f in CITIZEN_FIELDS))
                else:
                    yield from field_path(f"{where}.{lang}", name, BEFORE_START)

    def texts(where: str, node: Any) -> Iterator[Found]:
        if isinstance(node, dict) and "en" in node and _is_text(node):
            fills = where.startswith("eligibility[") and where.endswith(".reason")
            yield from placeholders(where, node, fills)
        elif isinstance(node, dict):
            for key, sub in node.items():
                if key not in ("when", "rule"):
                    yield from texts(f"{where}.{key}" if where else key, sub)
        elif isinstance(node, list):
            for j, sub in enumerate(node):
                yield from texts(f"{where}[{j}]", sub)

    for key in ("title", "summary", "you_will_need", "next_steps"):
        if key in data:
            problems.extend(texts(key, data[key]))
    for i, rule in enumerate(data.get("eligibility", ())):
        problems.extend(condition(f"eligibility[{i}].rule", rule["rule"], BEFORE_START))
        problems.extend(texts(f"eligibility[{i}]", rule))

    problems.extend(_confirmation_problems(data.get("confirmation") or {}))
    for i, step in enumerate(steps):
        problems.extend(_step_problems(i, step))
        problems.extend(texts(f"steps[{i}]", step))
        if "when" in step:
            problems.extend(condition(f"steps[{i}].when", step["when"], i))
        for j, name in enumerate(step.get("params", ())):
            problems.extend(refers(f"steps[{i}].params[{j}]", name, "answers", i))
        if step.get("prefill"):
            problems.extend(_prefill_problems(f"steps[{i}].prefill", step["prefill"], identified))
    return problems


def _is_text(node: dict[Any, Any]) -> bool:
    return all(isinstance(x, str) for x in node.values())


def _confirmation_problems(confirmation: dict[str, Any]) -> Iterator[Found]:
    """`done` is plain words; `change` may say {phone}, the file's cancel_phone."""
    if "done" in confirmation:
        for lang, words in confirmation["done"].items():
            if "{" in words or "}" in words:
                yield f"confirmation.done.{lang}", "write the words only, without { or }"
    says_phone = False
    for lang, words in confirmation.get("change", {}).items():
        try:
            names = {f for _, f, _, _ in string.Formatter().parse(words) if f is not None}
        except ValueError:
            names = {"?"}
        if names - {"phone"}:
            yield f"confirmation.change.{lang}", (
                "the only placeholder here is {phone}, the number in cancel_phone")
        says_phone = says_phone or "phone" in names
    if says_phone and not confirmation.get("cancel_phone"):
        yield "confirmation", "the text says {phone}: add cancel_phone with the number"


def _step_problems(i: int, step: dict[str, Any]) -> Iterator[Found]:
    where = f"steps[{i}]"
    kind = step["type"]
    has_options = bool(step.get("options"))
    if kind == "choice":
        if not has_options and not step.get("options_from"):
            yield where, ("a choice step needs 'options' (the answers to choose from) "
                          "or 'options_from'")
        if has_options and step.get("options_from"):
            yield where, "a choice step takes either 'options' or 'options_from', not both"
    else:
        for key in ("options", "options_from"):
            if key in step:
                yield f"{where}.{key}", f"'{key}' is only for choice steps; this is a {kind} step"
    seen: dict[str, int] = {}
    for j, option in enumerate(step.get("options", ())):
        if option["value"] in seen:
            yield f"{where}.options[{j}].value", (
                f"the value '{option['value']}' is already used by options[{seen[option['value']]}]"
                "; each option of a step needs its own value")
        else:
            seen[option["value"]] = j
    if kind == "lookup":
        if not step.get("query"):
            yield where, "a lookup step needs 'query' (which lookup to run, for example bill)"
        if not step.get("shown"):
            yield where, "a lookup step needs 'shown' (which parts of the answer to show)"
    else:
        for key in ("query", "shown"):
            if key in step:
                yield f"{where}.{key}", f"'{key}' is only for lookup steps; this is a {kind} step"
    if step.get("params") and not (kind in ("slot", "lookup") or step.get("options_from")):
        yield f"{where}.params", ("'params' is only for lookup steps, slot steps and choice steps "
                                  "with 'options_from'")
    for low, high in (("min", "max"), ("min_length", "max_length")):
        if low in step and high in step and step[low] > step[high]:
            yield where, f"'{low}' ({step[low]}) is larger than '{high}' ({step[high]})"


def _prefill_problems(where: str, path: str, identified: bool) -> Iterator[Found]:
    head, _, rest = path.partition(".")
    known = ", ".join(f"citizen.{f}" for f in CITIZEN_FIELDS)
    if head != "citizen":
        yield where, f"prefill must start with 'citizen.' (one of: {known}), not '{path}'"
    elif rest not in CITIZEN_FIELDS:
        yield where, (f"'{path}' is not something the kiosk knows about the citizen; "
                      f"it knows {known}")
    elif not identified:
        yield where, f"'{path}' needs the citizen's identity: add 'needs_identity: true'"


def completeness_problems(data: dict[str, Any], path: Path) -> list[Found]:
    """Its id is its file's name, its pictures exist, every text is in every language."""
    return [*_name_problems(data, path), *_icon_problems(data), *_language_problems(data)]


def _name_problems(data: dict[str, Any], path: Path) -> Iterator[Found]:
    """The id is the file's name, so a copy of a file (or a new file repeating an id) is
    refused on its own and can never take the place of the service it copies."""
    if data["id"] != path.stem:
        yield "id", (f"the id '{data['id']}' is not the file's name; a service's id and its "
                     f"file name must be the same: rename the file to {data['id']}{path.suffix} "
                     f"or write 'id: {path.stem}'")


def _icon_problems(data: dict[str, Any]) -> Iterator[Found]:
    used = [("icon", data["icon"])] + [
        (f"steps[{i}].options[{j}].icon", option["icon"])
        for i, step in enumerate(data["steps"])
        for j, option in enumerate(step.get("options", ())) if "icon" in option]
    for where, icon in used:
        if not (ICONS_DIR / f"{icon}.svg").is_file():
            yield where, (f"there is no picture called '{icon}' (no file {icon}.svg in "
                          "assets/icons); use one that exists, or have it drawn first")


def offered_languages() -> tuple[str, ...]:
    """Every language the kiosk offers (i18n/*/language.json). Spoken dialects (yue) are not
    among them: they read the written text of their language (zh_CN)."""
    return tuple(lang.code for lang in languages())


def _language_problems(data: dict[str, Any]) -> Iterator[Found]:
    """A text missing a language would show the English in, say, the Chinese journey."""
    wanted = offered_languages()

    def walk(where: str, node: Any) -> Iterator[Found]:
        if isinstance(node, dict) and "en" in node and _is_text(node):
            missing = [lang for lang in wanted if lang not in node]
            if missing:
                yield where, (f"the text in {', '.join(missing)} is missing; every text needs "
                              f"each language the kiosk offers ({', '.join(wanted)})")
        elif isinstance(node, dict):
            for key, sub in node.items():
                if key not in ("when", "rule"):
                    yield from walk(f"{where}.{key}" if where else key, sub)
        elif isinstance(node, list):
            for j, sub in enumerate(node):
                yield from walk(f"{where}[{j}]", sub)

    yield from walk("", data)


# ---------------------------------------------------------------------------------------------
# Building the dataclasses


def parse_service(data: dict[str, Any], source: str) -> Service:
    """Turn one schema-valid service mapping into a `Service` (no checking here)."""
    found: list[Text] = []

    def text(node: Any) -> Text:
        value = Text(by_lang=dict(node))
        found.append(value)
        return value

    def maybe(node: Any) -> Text | None:
        return None if node is None else text(node)

    steps = tuple(_parse_step(s, text, maybe) for s in data["steps"])
    fields: dict[str, Any] = {
        "title": text(data["title"]),
        "summary": text(data["summary"]),
        "you_will_need": tuple(text(t) for t in data.get("you_will_need", ())),
        "eligibility": tuple(
            Eligibility(
                rule=parse_condition(e["rule"]),
                reason=text(e["reason"]),
                instead=text(e["instead"]),
            )
            for e in data.get("eligibility", ())
        ),
        "next_steps": maybe(data.get("next_steps")),
        "confirmation": _confirmation(data.get("confirmation"), maybe),
    }
    return Service(
        id=data["id"],
        icon=data["icon"],
        steps=steps,
        needs_identity=bool(data.get("needs_identity", False)),
        outcome=data.get("outcome", "submit"),
        source=source,
        languages=languages_of(found),
        **fields,
    )


def _confirmation(data: Any, maybe: Callable[[Any], Text | None]) -> Confirmation | None:
    if data is None:
        return None
    return Confirmation(done=maybe(data.get("done")), change=maybe(data.get("change")),
                        cancel_phone=str(data.get("cancel_phone", "")))


def _parse_step(
    data: dict[str, Any], text: Callable[[Any], Text], maybe: Callable[[Any], Text | None]
) -> Step:
    return Step(
        id=data["id"],
        type=data["type"],
        title=text(data["title"]),
        hint=maybe(data.get("hint")),
        help=maybe(data.get("help")),
        prompt=maybe(data.get("prompt")),
        body=maybe(data.get("body")),
        optional=bool(data.get("optional", False)),
        when=parse_condition(data["when"]) if "when" in data else None,
        options=tuple(
            Option(
                value=o["value"],
                label=text(o["label"]),
                icon=o.get("icon", ""),
                say=maybe(o.get("say")),
            )
            for o in data.get("options", ())
        ),
        options_from=data.get("options_from", ""),
        params=tuple(data.get("params", ())),
        min=_number(data.get("min")),
        max=_number(data.get("max")),
        min_length=data.get("min_length"),
        max_length=data.get("max_length"),
        keyboard=data.get("keyboard", "text"),
        unit=maybe(data.get("unit")),
        phrases=tuple(text(p) for p in data.get("phrases", ())),
        prefill=data.get("prefill", ""),
        query=data.get("query", ""),
        shown=tuple(
            Shown(key=s["key"], label=text(s["label"]), format=s.get("format", "text"),
                  personal=s.get("personal"))
            for s in data.get("shown", ())
        ),
        personal=bool(data.get("personal", False)),
        label=maybe(data.get("label")),
    )


def parse_condition(data: dict[str, Any]) -> Condition:
    if "all" in data:
        return Condition(all_of=tuple(parse_condition(c) for c in data["all"]))
    if "any" in data:
        return Condition(any_of=tuple(parse_condition(c) for c in data["any"]))
    value = data.get("value")
    if isinstance(value, list):
        value = tuple(value)  # frozen dataclass: keep it hashable
    return Condition(field=data["field"], op=data["op"], value=value)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def languages_of(texts: Sequence[Text]) -> frozenset[str]:
    """The languages every one of `texts` is written in."""
    if not texts:
        return frozenset()
    return frozenset.intersection(*(frozenset(t.languages()) for t in texts))
