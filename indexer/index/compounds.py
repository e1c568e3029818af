"""Dutch compound splitting, and the filter that indexes the parts of joined tokens.

Dutch glues words together: ``kinderuitbuiting`` must find "uitbuiting van kinderen"
and ``gezin`` must find ``multiprobleemgezinnen``. :func:`split_compound` divides a
word with a dictionary (method E of MEASUREMENTS.md section 4, after Koehn & Knight
2003): dynamic programming over split points; every part a dictionary word of at least
3 letters (3-letter parts need zipf >= 4), optionally followed by a linking ``s``;
particles, prefixes and suffix strings are never parts; the split with the best mean
part zipf minus 0.75 per extra part wins, unless the whole word is at least as frequent.
The dictionary is built offline by scripts/build_compound_dictionary.py and shipped as
package data (indexer/data/nl_compound_dict.tsv.gz), loaded once, on first use.

Design of index and query (why phrases and exact matches keep working):

* :class:`PartsFilter` emits the whole token at its position ``p`` and then its parts
  at ``p, p+1, ...``; the tokens after it shift by ``parts - 1``. So at a shared
  position the first token is the whole word and the next the first part. Compound
  parts weigh ``PART_BOOST`` (0.5) as term frequency, so for the query ``gezin`` a text
  saying "gezin" ranks above one saying only "multiprobleemgezinnen".
* The query is analysed with the same recipe and gets the same stream. The query
  builder (``QueryBuilder.field_query`` in :mod:`indexer.index.query`) makes tokens that share a position
  alternatives and ANDs the positions: ``kinderuitbuiting`` ->
  ``(kinderuitbuit OR kinder) AND uitbuit``. That matches the compound (its parts are
  indexed) and "uitbuiting van kinderen", and the whole-word term adds the score that
  puts an exact compound first. An OR of (whole) and (AND of parts) would say the same
  but cannot be expressed as a token stream; this form can, and needs no splitting
  logic in the query code.
* Phrases: the parts sit at consecutive positions, so the phrase of the *parts*
  (``aanpak kinder uitbuit``: at a shared position keep the last token) matches the
  compound and the same words written apart in that order, and a phrase without
  compounds is untouched because nothing else moves. Splitting is one deterministic
  function on both sides, so index and query positions always agree.

Hyphenated, apostrophe, slashed and space-grouped tokens divide the same way (weight 1:
``Brabant`` is as much a word of "Noord-Brabant" as of "Brabant"), see
:func:`indexer.index.tokenize.segments`.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources
from typing import Callable, Iterator, cast

from whoosh.analysis import Filter, Token

from indexer.index.tokenize import segments

DICTIONARY_FILE = "data/nl_compound_dict.tsv.gz"
MIN_PART = 3
MIN_ZIPF_SHORT_PART = 4.0  # 3-letter parts must be frequent words (ijs, zee, bos)
SPLIT_PENALTY = 0.75  # per part beyond the first, in zipf units
MIN_WORD = 2 * MIN_PART
MAX_WORD = 48  # longer "words" are noise (tables, URLs); skip them
MAX_PART = 24  # (uitkerings)afhankelijkheid has 15 letters; longer parts are not worth the lookups
PART_BOOST = 0.5
CACHE_SIZE = 100_000  # distinct long words remembered (Dutch vocabularies repeat); ~15 MB
LINKING = ("s",)

#: Never a part: particles, prepositions, prefixes, some adverbs and verb forms, and suffix
#: strings (a small exception list, judged on the gold set and a held-out sample). Without these the
#: dictionary splits derivations (uit|buiting, ver|schillende, gemeen|ten, gezin|nen).
NEVER_PARTS = frozenset("""
aan achter af al alle als andere bij bijeen binnen boven buiten dan dat de den der des die dit
door een elk en er ge be ver ont her mis het hun in langs met mede mee na naar neer nog om on
onder ook op over per rond samen te tegen ten ter terug toe tot tussen uit van veel voor voort
vooruit wat weg wie zich zelf zo
ing ingen heid heden lijk lijke lijken lijkheid baar bare baarheid nen eren ers ster sters tje
tjes schap schappen isch ische loos loze achtig achtige ling lingen ies ist isten isme iteit
atie aties erij ment menten ant anten ent enten sel sels dom zaam zame ning ningen teit nis
nissen sche aal ale ief ieve eel ele iek ieken uur ende end ens rij gen ken len men ren sen
ven wen zen ter ker ler del tel nel kel pel sel den ten tie ties ige ijk ijke ijken eur eurs
rijke rijker rijkere rijkst kende ben bent eens even hier daar waar toen dus maar zeer heel wel
ere voller vollere
""".split())


def data_pairs(name: str) -> Iterator[tuple[str, str]]:
    """The two columns of a gzipped TSV shipped as package data (none if it is missing)."""
    try:
        data = resources.files("indexer").joinpath(name).read_bytes()
    except (FileNotFoundError, OSError):
        return
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("\t")
            yield key, value


@lru_cache(maxsize=1)
def dictionary() -> dict[str, float]:
    """Folded Dutch word -> zipf frequency (loaded once; empty if the data is missing)."""
    return {word: float(zipf) for word, zipf in data_pairs(DICTIONARY_FILE)}


def split_compound(word: str) -> tuple[str, ...]:
    """The parts of a folded Dutch compound as written (linking s on the left part), or ().

    >>> split_compound("multiprobleemgezinnen")
    ('multi', 'probleem', 'gezinnen')
    >>> split_compound("arbeidsparticipatie"), split_compound("gemeenten")
    (('arbeids', 'participatie'), ())
    """
    best = _best_split(word)
    return tuple(written for written, _ in best) if best else ()


def compound_parts(word: str) -> tuple[str, ...]:
    """The parts to index, without linking elements (arbeidsparticipatie -> arbeid, ...).

    >>> compound_parts("kinderuitbuiting"), compound_parts("criminaliteitspreventie")
    (('kinder', 'uitbuiting'), ('criminaliteit', 'preventie'))
    """
    best = _best_split(word)
    return tuple(stem for _, stem in best) if best else ()


Part = tuple[str, str]  # (as written, without linking element)


@lru_cache(maxsize=CACHE_SIZE)
def part_spans(word: str) -> tuple[tuple[str, int], ...]:
    """Runs of two or more parts, shorter than the word, with the offset of their first part.

    Indexed at that part's position, so a query for ``jeugdzorg`` finds
    ``jeugdzorginstellingen`` as the compound it holds, not as two words anywhere. (A
    compound the dictionary knows is one part already: kinderbeschermings|maatregel.)
    A run keeps the linking elements inside it and drops the one at its end.

    >>> part_spans("jeugdzorginstellingen")
    (('jeugdzorg', 0), ('zorginstellingen', 1))
    >>> part_spans("jeugdbeschermingsorganisatie")
    (('jeugdbescherming', 0), ('beschermingsorganisatie', 1))
    >>> part_spans("mensenhandel")
    ()
    """
    best = _best_split(word)
    out = []
    for first in range(len(best)):
        for last in range(first + 1, len(best)):
            if first == 0 and last == len(best) - 1:
                continue  # the whole word is indexed already
            written = "".join(part for part, _ in best[first:last])
            out.append((written + best[last][1 if last < len(best) - 1 else 0], first))
    return tuple(out)


@lru_cache(maxsize=CACHE_SIZE)
def _best_split(word: str) -> tuple[Part, ...]:
    """The best split of ``word`` (one cache for compound_parts, part_spans and split_compound:
    each new word is split once, not once per caller)."""
    if not (MIN_WORD <= len(word) <= MAX_WORD and word.isalpha()):
        return ()
    words = dictionary()
    table = _part_table(word, words)
    best_score, best_parts = -1e9, cast("tuple[tuple[str, str], ...]", ())
    for count, (total, parts) in _best_sums(word, table).items():
        score = total / count - SPLIT_PENALTY * (count - 1)
        if count > 1 and score > best_score:
            best_score, best_parts = score, parts
    if not best_parts or words.get(word, 0.0) >= best_score:
        return ()
    return best_parts


def _part_table(word: str, words: dict[str, float]) -> dict[int, list[tuple[int, Part, float]]]:
    """start -> [(next start, part, zipf)] for every valid part beginning at a start that
    parts from the word's beginning reach (no other start can be in a split: most are not,
    and their pieces were most of the dictionary lookups)."""
    table: dict[int, list[tuple[int, Part, float]]] = {}
    size = len(word)
    reached = {0}
    for start in range(size - MIN_PART + 1):
        if start not in reached:
            continue
        options = []
        for end in range(start + MIN_PART, min(size, start + MAX_PART) + 1):
            piece = word[start:end]
            zipf = words.get(piece)
            if zipf is None or not _valid_part(piece, zipf):  # most pieces are no word at all
                continue
            options.append((end, (piece, piece), zipf))
            for link in LINKING:
                if word.startswith(link, end) and end + len(link) < size:
                    options.append((end + len(link), (piece + link, piece), zipf))
        reached.update(option[0] for option in options)
        table[start] = options
    return table


def _valid_part(piece: str, zipf: float) -> bool:
    if piece in NEVER_PARTS:
        return False
    return len(piece) > MIN_PART or zipf >= MIN_ZIPF_SHORT_PART


def _best_sums(word: str, table: dict[int, list[tuple[int, Part, float]]]) -> dict[int, tuple[float, tuple[Part, ...]]]:
    """Part count -> (highest zipf sum, its parts) over all ways to cover the word."""
    # best[start][count] = (sum, parts) for covering word[start:] with count parts
    best: dict[int, dict[int, tuple[float, tuple[Part, ...]]]] = {len(word): {0: (0.0, ())}}
    for start in range(len(word) - 1, -1, -1):
        here: dict[int, tuple[float, tuple[Part, ...]]] = {}
        for nxt, part, zipf in table.get(start, ()):
            for count, (total, parts) in best.get(nxt, {}).items():
                candidate = (total + zipf, (part, *parts))
                if count + 1 not in here or candidate[0] > here[count + 1][0]:
                    here[count + 1] = candidate
        if here:
            best[start] = here
    return best.get(0, {})


class PartsFilter(Filter):
    """Emit a token's parts too: hyphen/number segments, and compound parts if ``split``.

    The whole token, then its parts from the same position on; later tokens shift.

    >>> from whoosh.analysis import RegexTokenizer
    >>> chain = RegexTokenizer(r"[\\w-]+") | PartsFilter(compound_parts)
    >>> [(t.text, t.pos) for t in chain("de multiprobleemgezinnen in noord-brabant", positions=True)]
    [('de', 0), ('multiprobleemgezinnen', 1), ('multi', 1), ('probleem', 2), ('gezinnen', 3), ('in', 4), ('noord-brabant', 5), ('noord', 5), ('brabant', 6)]
    >>> [(t.text, t.pos) for t in chain("kinderuitbuiting", mode="query", positions=True)]
    [('kinderuitbuiting', 0), ('kinder', 0), ('uitbuiting', 1)]
    """

    def __init__(self, split: Callable[[str], tuple[str, ...]] | None = None,
                 spans: Callable[[str], tuple[tuple[str, int], ...]] | None = None) -> None:
        self.split = split
        self.spans = spans

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:  # type: ignore[override]
        shift, split = 0, self.split
        for token in tokens:
            if shift and token.positions:
                token.pos += shift
            text = token.text
            # most tokens are short plain words: skip the (cached) lookup for them
            if token.stopped or (len(text) < MIN_WORD and text.isalnum()):
                yield token
                continue
            parts = token_parts(text, split)
            if not parts:
                yield token
                continue
            compound = all(weight == PART_BOOST for _, weight in parts)
            yield _whole(token, compound)
            yield from _part_tokens(token, parts, compound)
            if compound and self.spans and token.mode != "query":
                yield from _span_tokens(token, self.spans(text))
            shift += len(parts) - 1
@lru_cache(maxsize=CACHE_SIZE)
def token_parts(text: str, split: Callable[[str], tuple[str, ...]] | None) -> tuple[tuple[str, float], ...]:
    """(part, weight) pairs to index after the token ``text``; () for a plain word.

    >>> token_parts("noord-brabantse", None), token_parts("jeugdzorg", compound_parts)
    ((('noord', 1.0), ('brabantse', 1.0)), (('jeugd', 0.5), ('zorg', 0.5)))
    """
    pieces = segments(text) or (text,)
    out: list[tuple[str, float]] = []
    for piece in pieces:
        parts = split(piece) if split else ()
        out.extend([(part, PART_BOOST) for part in parts] if parts else [(piece, 1.0)])
    return tuple(out) if len(out) > 1 or out[0][0] != text else ()


def _whole(token: Token, compound: bool) -> Token:
    whole = token.copy()
    whole.text = token.text.replace(" ", "")  # a grouped number is indexed joined: 32824
    whole.compound = compound  # the query builder gives a compound its own meaning
    return whole


def _span_tokens(token: Token, spans: tuple[tuple[str, int], ...]) -> Iterator[Token]:
    for text, offset in spans:
        span = token.copy()
        span.text = text
        span.boost = PART_BOOST * getattr(token, "boost", 1.0)
        if token.positions:
            span.pos = token.pos + offset
        yield span


def _part_tokens(token: Token, parts: tuple[tuple[str, float], ...], compound: bool) -> Iterator[Token]:
    start = token.startchar if token.chars else 0
    cursor = 0
    for offset, (text, boost) in enumerate(parts):
        part = token.copy()
        part.text = text
        part.boost = boost * getattr(token, "boost", 1.0)
        part.compound_part = compound
        if token.positions:
            part.pos = token.pos + offset
        if token.chars:
            found = token.text.find(text, cursor)
            cursor = found + len(text) if found >= 0 else cursor
            part.startchar = start + (found if found >= 0 else 0)
            part.endchar = part.startchar + len(text) if found >= 0 else token.endchar
        yield part
