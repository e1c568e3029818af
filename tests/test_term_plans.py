"""The term plans' shortcuts give what the recipes and Whoosh's formats give, on real text.

A plan is made by plain functions over (text, offset, boost) instead of the recipe's filters
on a Token (:data:`indexer.index.term_plans.STEPS`); a lower-case-only recipe has no plans;
``Positions.encode`` is done without its loop; equal recipes share their plans. Each is
checked here against the thing it replaces, over every distinct token and text field of the
298 real motions of tests/fixtures/bulk-sample (``tests/test_analysis_golden.py`` checks the
items as a whole against the golden file).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from whoosh.formats import Positions

from indexer.citekeys import canonical_keys
from indexer.extract import extract
from indexer.index.analysed import AnalysedText
from indexer.index.schema import build_schema, document_fields
from indexer.index.term_plans import FieldItems, TermPlans, encode_positions
from indexer.model import Record

BULK = Path(__file__).resolve().parent / "fixtures" / "bulk-sample"
SCHEMA = build_schema()


@lru_cache(maxsize=1)
def texts() -> list[dict[str, str]]:
    """Every motion's analysed text fields (name -> text)."""
    out = []
    for path in sorted(BULK.glob("*.xml")):
        record = Record(source="t", native_id=path.stem, url=path.as_uri(), body=path.read_bytes(),
                        file_url=path.as_uri())
        doc = extract(record)
        fields = document_fields(doc, canonical_keys(doc))
        out.append({name: value for name, value in fields.items()
                    if isinstance(SCHEMA[name], AnalysedText) and isinstance(value, str) and value})
    return out


def test_a_plan_from_the_steps_is_the_plan_from_the_recipes_filters() -> None:
    checked = 0
    for name in ("title_nl", "body_nl", "author"):
        plans = TermPlans(SCHEMA[name].analyzer)
        assert plans.steps is not None
        tokens = {token for fields in texts() if name in fields for token in plans.findall(fields[name])}
        for token in sorted(tokens):
            assert plans._make(token) == plans._make_with_tokens(token), (name, token)  # noqa: SLF001
        checked += len(tokens)
    assert checked > 5_000


def test_the_items_are_the_fields_own_in_the_same_order() -> None:
    terms = FieldItems()
    for fields in texts():
        for name, value in fields.items():
            assert terms.items(SCHEMA[name], value) == list(SCHEMA[name].index(value)), name


def test_title_and_body_share_their_plans_and_other_recipes_do_not() -> None:
    terms = FieldItems()
    shared = {name: terms._plans_of(SCHEMA[name]) for name in ("title_nl", "body_nl", "spell", "ident")}  # noqa: SLF001
    assert SCHEMA["title_nl"].analyzer is not SCHEMA["body_nl"].analyzer
    assert shared["title_nl"] is shared["body_nl"]
    assert len({id(plans) for plans in shared.values()}) == 3
    assert shared["spell"].lowercase_only and shared["ident"].lowercase_only  # type: ignore[union-attr]
    assert not shared["body_nl"].lowercase_only  # type: ignore[union-attr]


def test_positions_are_encoded_as_whoosh_encodes_them() -> None:
    plans, whoosh = TermPlans(SCHEMA["body_nl"].analyzer), Positions()
    lists = [found for fields in texts() for found in plans.positions(fields["body_nl"])[0].values()]
    assert any(len(found) > 1 for found in lists) and any(found[0] >= 100 for found in lists)
    for found in lists + [[0], [70_000], [3, 300, 70_000]]:
        assert encode_positions(found) == whoosh.encode(found)
        assert encode_positions(found) == whoosh.encode(found)  # the remembered single position too
