"""Build the Dutch lemma table (indexer/data/nl_lemmas.tsv.gz) from OpenTaal's Hunspell files.

Offline, build time only: needs Debian ``hunspell-nl`` (``apt-get install hunspell-nl`` ->
/usr/share/hunspell/nl.dic and nl.aff, OpenTaal 2.20). The runtime reads only the shipped
table, so it needs neither apt nor Hunspell.

How: every dictionary entry is expanded with its suffix rules (plurals, diminutives,
adjective and verb endings; one level of continuation flags; compound-only forms ending
in ``-`` are left out). Entries that share a form are one lemma group (``werk`` and
``werken`` share "werken"), and every form of a group is written with the group's most
frequent entry (zipf from the shipped compound dictionary) as its lemma: only a label. Forms that are
their own lemma are not written. A compound-only stem (``kinder``, flag ONLYINCOMPOUND)
joins the lemma of its ``-en``/``-s`` form (kinderen -> kind), so "uitbuiting van kinderen"
and ``kinderuitbuiting`` share their parts.

Why not a stemmer: a stemmer cuts suffixes by rule, derivational ones too, so ``handelingen``
meets ``handel`` and ``gemeenten`` ``gemeen``; a lexicon only joins the forms one entry
generates. The gold list tests/fixtures/analysis/lemma_pairs.tsv measures both.

Only groups with at least one form in the compound dictionary (the words that occur in
real Dutch text) are kept, which keeps the table small.

Data licence: OpenTaal, revised BSD / CC BY 3.0 (indexer/data/LICENSES.md).

Usage: .venv/bin/python scripts/build_lemma_table.py [--hunspell /usr/share/hunspell/nl]
"""

from __future__ import annotations

import argparse
import gzip
import re
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "indexer" / "data"
TARGET = DATA / "nl_lemmas.tsv.gz"
HUNSPELL = Path("/usr/share/hunspell/nl")
ONLY_IN_COMPOUND = "Cx"
MIN_LEMMA = 3  # "den" is no plural of "d"
ADJECTIVE_FLAG = "A"
#: the partitive -s ("iets nieuws"): its forms are other words (langs, anders, slechts, zelfs)
#: and -heid/-heden on adjectives (schoonheid, minderheid): derivation, not inflection
SKIPPED_FLAGS = frozenset({"Ai", "Zm"})
STRESS_ACCENTS = frozenset("áéíóú")
VERB_FLAG = "V"  # OpenTaal's verb-ending rules (V3 stem+t, Vp -de/-den, ...)
#: (plural ending, singular ending) of plurals that are entries of their own
IRREGULAR_PLURALS = (("heden", "heid"), ("eren", ""))
HEADER = ("# Dutch lemma table: form<TAB>lemma (folded). Built by scripts/build_lemma_table.py "
          "from OpenTaal hunspell-nl 2.20 (BSD / CC BY 3.0).\n")

Rule = tuple[str, str, str, re.Pattern[str]]  # strip, add, continuation flags, condition


def fold(word: str) -> str:
    """Lowercase and strip accents, as the analyzer does."""
    decomposed = unicodedata.normalize("NFKD", word.lower().replace("\u0133", "ij"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def parse_affixes(path: Path) -> dict[str, list[Rule]]:
    """SFX flag -> rules (FLAG long: two-letter flags)."""
    rules: dict[str, list[Rule]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if len(fields) < 5 or fields[0] != "SFX" or fields[1] in SKIPPED_FLAGS:
            continue
        flag, strip, add, condition = fields[1], fields[2], fields[3], fields[4]
        add, _, more = add.partition("/")
        rules.setdefault(flag, []).append((
            "" if strip == "0" else strip, "" if add == "0" else add,
            more, re.compile(("" if condition == "." else condition) + "$")))
    return rules


def flags_of(text: str) -> list[str]:
    return [text[i:i + 2] for i in range(0, len(text) - 1, 2)]


def parse_dictionary(path: Path) -> list[tuple[str, list[str]]]:
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        word, _, flags = line.split("\t")[0].split(" ")[0].partition("/")
        if word:
            entries.append((word, flags_of(flags)))
    return entries


def expand(word: str, flags: list[str], rules: dict[str, list[Rule]], depth: int = 0) -> set[str]:
    """The word's forms under its suffix rules (one level of continuation)."""
    forms = {word}
    for flag in flags:
        for strip, add, more, condition in rules.get(flag, ()):
            if not condition.search(word) or (strip and not word.endswith(strip)):
                continue
            form = (word[: len(word) - len(strip)] if strip else word) + add
            if depth == 0 and more:
                forms |= expand(form, flags_of(more), rules, depth + 1)
            forms.add(form)
    return {form for form in forms if not form.endswith("-")}


class Groups:
    """Union-find over entry words."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def lemma_table(entries: list[tuple[str, list[str]]], rules: dict[str, list[Rule]],
                zipfs: dict[str, float]) -> dict[str, str]:
    # not "Grote" (Grote Markt) nor the stressed "gróte": only plain entries block a form
    words = {fold(word) for word, _ in entries if word.islower() and not STRESS_ACCENTS & set(word)}
    groups, owner, forms_of = Groups(), {}, {}
    for word, flags in entries:
        lemma = fold(word)
        if not lemma.isalpha() or len(lemma) < MIN_LEMMA or ONLY_IN_COMPOUND in flags:
            continue
        forms_of.setdefault(lemma, {lemma})
        groups.find(lemma)
        for form, degree_or_verb in _forms(word, flags, rules):
            if degree_or_verb and form in words and form != lemma:
                continue  # kan + t is "kant", oud + er "ouder": words of their own
            forms_of[lemma].add(form)
            groups.union(lemma, owner.setdefault(form, lemma))
    flags_of_lemma: dict[str, set[str]] = {}
    for word, flags in entries:
        if word.islower():  # "Staten" (Provinciale Staten) is a name: staten stays a plural of staat
            flags_of_lemma.setdefault(fold(word), set()).update(flags)
    _join_irregular({w: f for w, f in flags_of_lemma.items() if w in forms_of}, rules, forms_of, groups)
    for word, flags in entries:  # kinder (compound-only) -> the group of kinderen
        stem = fold(word)
        if ONLY_IN_COMPOUND in flags and stem.isalpha() and stem not in owner:
            joined = next((owner[stem + end] for end in ("en", "s") if stem + end in owner), None)
            if joined:
                forms_of[joined].add(stem)
                owner[stem] = joined
    return _write_out(groups, forms_of, zipfs)


def _forms(word: str, flags: list[str], rules: dict[str, list[Rule]]) -> list[tuple[str, bool]]:
    """(folded form, made by a verb or adjective-degree rule) for the word's forms."""
    def forms(keep: bool) -> set[str]:
        chosen = [f for f in flags if f.startswith((VERB_FLAG, ADJECTIVE_FLAG)) == keep]
        return {fold(f) for f in expand(word, chosen, rules)}

    nominal = forms(False)
    return [(f, False) for f in nominal if f.isalpha()] + [(f, True) for f in forms(True) - nominal if f.isalpha()]


def _join_irregular(flags_of_lemma: dict[str, set[str]], rules: dict[str, list[Rule]],
                    forms_of: dict[str, set[str]], groups: Groups) -> None:
    """Forms OpenTaal lists as entries of their own: plurals without affix flags (-heid/-heden,
    kind/kinderen, staat/staten, maatregel/maatregelen), adjectives with -e (beter/betere),
    and infinitives apart from their verb stem (verwacht/verwachten, benut/benutten)."""
    for word, flags in flags_of_lemma.items():
        bare = not any(flag in rules for flag in flags)
        stem = verb_stem(word)
        if stem in flags_of_lemma and any(flag.startswith(VERB_FLAG) for flag in flags_of_lemma[stem]):
            groups.union(word, stem)  # verwachten -> verwacht, weten -> weet (never wet)
            continue
        if not bare:
            continue
        for candidate, ending in singular_candidates(word):
            other = flags_of_lemma.get(candidate)
            if other is None or len(candidate) < MIN_LEMMA or candidate == word:
                continue
            if ending != "e" or any(flag.startswith(ADJECTIVE_FLAG) for flag in other):
                groups.union(word, candidate)
                break


def singular_candidates(word: str) -> list[tuple[str, str]]:
    """(shorter word, ending class) pairs by Dutch spelling (maten -> maat, huizen -> huis).

    >>> singular_candidates("maatregelen")[:1], [c for c, _ in singular_candidates("huizen")][:2]
    ([('maatregel', 'en')], ['huiz', 'huis'])
    """
    out = []
    if word.endswith("heden"):
        out.append((word[:-5] + "heid", "heden"))
    if word.endswith("eren"):
        stem = word[:-4]
        out += [(stem, "eren")] + ([(stem[:-1], "eren")] if len(stem) > 2 and stem[-1] == stem[-2] else [])
    if word.endswith("en"):
        out += [(stem, "en") for stem in _open_syllable_stems(word[:-2])]
    if word.endswith("n"):
        out.append((word[:-1], "n"))  # jarigen -> jarige, gemeenten -> gemeente
    if word.endswith("e"):
        out.append((word[:-1], "e"))
        if len(word) > 3 and word[-3] in "aeou" and word[-4] not in "aeiou":
            out.append((word[:-2] + word[-3] + word[-2], "e"))  # grote -> groot
    return out


def verb_stem(infinitive: str) -> str:
    """The regular stem of a Dutch infinitive ("" if it is none): the spelling rules only.

    >>> [verb_stem(w) for w in ("benutten", "weten", "verwachten", "leven", "reizen", "regelen", "werk")]
    ['benut', 'weet', 'verwacht', 'leef', 'reis', 'regel', '']
    """
    if not infinitive.endswith("en") or len(infinitive) < 5:
        return ""
    stem = _open_syllable_stems(infinitive[:-2])[0]
    return stem[:-1] + {"z": "s", "v": "f"}[stem[-1]] if stem[-1] in "zv" else stem


def _open_syllable_stems(stem: str) -> list[str]:
    """The stem a Dutch -en form was written from (spelling rules of open syllables).

    >>> [_open_syllable_stems(s) for s in ("gezinn", "tak", "wet", "regel", "huiz")]
    [['gezin'], ['taak', 'tak'], ['weet', 'wet'], ['regel', 'regeel'], ['huiz', 'huis']]
    """
    if len(stem) < 3:
        return []
    if stem[-1] == stem[-2] and stem[-1] not in "aeiou":
        return [stem[:-1]]  # gezinnen -> gezin, benutten -> benut
    out = [stem]
    if stem[-1] in "zv":
        out.append(stem[:-1] + {"z": "s", "v": "f"}[stem[-1]])  # huizen -> huis, brieven -> brief
    if stem[-2] in "aeou" and stem[-3] not in "aeiou" and stem[-1] not in "aeiou":
        long_vowel = stem[:-1] + stem[-2] + stem[-1]  # taken -> taak, weten -> weet
        schwa = stem[-2] == "e" and any(ch in "aeiou" for ch in stem[:-2])  # regelen -> regel
        # the long vowel first (taken -> taak, not tak); the short one too (slagen -> slag)
        out = out + [long_vowel] if schwa else [long_vowel] + out
    return out


def _write_out(groups: Groups, forms_of: dict[str, set[str]], zipfs: dict[str, float]) -> dict[str, str]:
    members: dict[str, list[str]] = {}
    for lemma in forms_of:
        members.setdefault(groups.find(lemma), []).append(lemma)
    table: dict[str, str] = {}
    for lemmas in members.values():
        forms = set().union(*(forms_of[lemma] for lemma in lemmas))
        if not any(form in zipfs for form in forms):
            continue
        head = max(lemmas, key=lambda lemma: (zipfs.get(lemma, 0.0), -len(lemma), lemma))
        table.update({form: head for form in forms if form != head})
    return table


def load_zipfs() -> dict[str, float]:
    zipfs = {}
    for line in gzip.decompress((DATA / "nl_compound_dict.tsv.gz").read_bytes()).decode().splitlines():
        if line and not line.startswith("#"):
            word, _, zipf = line.partition("\t")
            zipfs[word] = float(zipf)
    return zipfs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hunspell", type=Path, default=HUNSPELL, help="path without .dic/.aff")
    args = parser.parse_args()
    rules = parse_affixes(args.hunspell.with_suffix(".aff"))
    entries = parse_dictionary(args.hunspell.with_suffix(".dic"))
    table = lemma_table(entries, rules, load_zipfs())
    lines = "".join(f"{form}\t{lemma}\n" for form, lemma in sorted(table.items()))
    TARGET.write_bytes(gzip.compress((HEADER + lines).encode("utf-8"), mtime=0))
    print(f"{len(entries)} entries -> {len(table)} forms with another lemma -> {TARGET}")


if __name__ == "__main__":
    main()
