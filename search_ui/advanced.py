"""The advanced search form ``/uitgebreid`` (dossier, ondernummer, vergaderjaar, type,
indiener, organisation, period), which builds the normal query and filters and sends the
user to the search page, and the template helpers that show input problems next to
their fields (``input_problems``, ``entered``) on every page that reads a search.

A value the form cannot use is not dropped silently: the form comes back with a message
next to the field. The search page's own checks live in :mod:`search_ui.validation`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlencode

from flask import Blueprint, g, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from indexer.citekeys import kst_key
from indexer.index import SearchRequest
from search_ui import i18n
from search_ui.dossiers import normalise_number
from search_ui.validation import Problem, is_iso_date, period_end, period_start
from search_ui.views import backend

MAX_FIELD = 200
DOSSIER = re.compile(r"^\d{4,6}(?:[ -](?:[IVXLC]+|[A-Z]|\d{2}))?$")
ONDERNUMMER = re.compile(r"^\d{1,5}$")
VERGADERJAAR = re.compile(r"^(?P<first>\d{4})\s*[-/–]\s*(?P<second>\d{2}|\d{4})$")


@dataclass(frozen=True)
class Built:
    pairs: list[tuple[str, str]]  # the search URL's parameters
    problems: list[Problem]


def problem_helpers() -> dict[str, Any]:
    return {"input_problems": input_problems, "entered": entered}


def input_problems(field: str | None = None) -> list[str]:
    """The messages (translated) about what was left out of this request's input."""
    problems = g.get("input_problems", ())
    return [i18n.translate(p.message, **p.values) for p in problems if field in (None, p.field)]


def entered(name: str) -> str:
    """What the user typed in ``name`` (shown back in a field whose value was not used)."""
    return request.args.get(name, "")[:MAX_FIELD]


def advanced() -> Any:
    form = request.args
    built = build_search(form) if form.get("zoek") else None
    if built is not None and not built.problems:
        return redirect(url_for("ui.search") + "?" + urlencode(built.pairs))
    g.input_problems = tuple(built.problems) if built else ()
    types = [value for value, _ in backend().search(SearchRequest(page_size=1)).facets.get("doc_type", ())]
    # 200 with messages, not 400: the form page is what the user asked for, shown again to correct
    return render_template("advanced.html", types=sorted(types), form=form)


def build_search(form: MultiDict[str, str]) -> Built:
    """The search-page parameters the form's values ask for, or the problems with them."""
    values = {name: form.get(name, "").strip()[:MAX_FIELD] for name in FIELD_BUILDERS}
    built = Built([], [])
    for name, builder in FIELD_BUILDERS.items():
        if values[name]:
            builder(values[name], values, built)
    query = " ".join(value for key, value in built.pairs if key == "q")
    pairs = [("q", query)] if query else []
    built.pairs[:] = pairs + [(key, value) for key, value in built.pairs if key != "q"]
    return built


def _words(value: str, values: dict[str, str], built: Built) -> None:
    built.pairs.append(("q", value))


def _dossier(value: str, values: dict[str, str], built: Built) -> None:
    number = normalise_number(value)
    if DOSSIER.match(number):
        built.pairs.append(("dossier", number))
    else:
        built.problems.append(Problem("dossier", "„{value}” is geen dossiernummer, zoals 32824 of 36600 VI.",
                                      {"value": value}))


def _ondernummer(value: str, values: dict[str, str], built: Built) -> None:
    if not ONDERNUMMER.match(value):
        built.problems.append(Problem("ondernummer", "„{value}” is geen ondernummer: alleen cijfers, zoals 193.",
                                      {"value": value}))
    elif not DOSSIER.match(normalise_number(values["dossier"])):
        built.problems.append(Problem("ondernummer", "Een ondernummer hoort bij een dossier: vul ook het "
                                      "dossiernummer in."))
    else:
        built.pairs.append(("q", f"nummer:{kst_key(normalise_number(values['dossier']), value)}"))


def _vergaderjaar(value: str, values: dict[str, str], built: Built) -> None:
    match = VERGADERJAAR.match(value)
    first = int(match["first"]) if match else 0
    second = int(match["second"][-2:]) if match else -1
    if match is None or second != (first + 1) % 100:
        built.problems.append(Problem("vergaderjaar", "„{value}” is geen vergaderjaar: twee opeenvolgende jaren, "
                                      "zoals 2016-2017 of 2016/17.", {"value": value}))
    else:
        built.pairs.append(("q", f"nummer:{first}-{first + 1}"))


def _type(value: str, values: dict[str, str], built: Built) -> None:
    built.pairs.append(("doc_type", value))


def _person(value: str, values: dict[str, str], built: Built) -> None:
    built.pairs.append(("q", f'auteur:"{value.replace(chr(34), "")}"'))


def _organisation(value: str, values: dict[str, str], built: Built) -> None:
    built.pairs.append(("q", f'door:"{value.replace(chr(34), "")}"'))


def _date(name: str) -> Callable[[str, dict[str, str], Built], None]:
    def check(value: str, values: dict[str, str], built: Built) -> None:
        if not is_iso_date(value):
            built.problems.append(Problem(name, "„{value}” is geen datum: gebruik jjjj, jjjj-mm of jjjj-mm-dd.",
                                          {"value": value}))
        elif name == "tot" and is_iso_date(values["van"]) and period_start(values["van"]) > period_end(value):
            built.problems.append(Problem("tot", "De einddatum ligt vóór de begindatum."))
        else:
            built.pairs.append((name, value))
    return check


#: form field -> what it adds to the search (in this order; the words first)
FIELD_BUILDERS: dict[str, Callable[[str, dict[str, str], Built], None]] = {
    "woorden": _words, "dossier": _dossier, "ondernummer": _ondernummer, "vergaderjaar": _vergaderjaar,
    "type": _type, "indiener": _person, "organisatie": _organisation, "van": _date("van"), "tot": _date("tot"),
}


def register(bp: Blueprint) -> None:
    """Add the advanced form and the input-problem helpers to the app's blueprint."""
    bp.add_url_rule("/uitgebreid", view_func=advanced)
    bp.app_context_processor(problem_helpers)
