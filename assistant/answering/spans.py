"""Spans of a kind (a date, a number, a name, a place) inside a sentence, with exact offsets.

Regular expressions, not a model: no NER model ships on the package index, and dateparser's search
(measured: ~33 ms a sentence, matches that take in neighbouring words such as "on December 13th in
the") is too slow and too loose for exact quotes. Names are runs of capitalised words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records.query import Kind
from ..text.lexicon import NUMBER_WORDS
from ..text.terms import UPPER, looks_plural, same_root

MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
         r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
DAY = r"\d{1,2}(?:st|nd|rd|th)?"
YEAR = r"(?:1[0-9]|20)\d\d"
ORDINAL_WORD = (r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
                r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
                r"twenty-first)")
# Dates counted back from now: "13,000 BP", "~3000 yr BP", "11,700 years ago", "2.5 million years ago".
AGO = (r"\d[\d,.]*(?:[–-]\d[\d,.]*)?(?:\s+(?:thousand|million|billion))?\s*"
       r"(?:(?:yr|years?)\s+(?:ago|BP|before\s+present)|BP|BCE|MBP)")
AGO_DATE = re.compile(AGO, re.IGNORECASE)
DATE = re.compile(
    rf"\b(?:(?:early|late|mid)[- ])?(?:{MONTH}\s+{DAY}(?:,?\s+{YEAR})?|{DAY}\s+(?:of\s+)?{MONTH}(?:,?\s+{YEAR})?"
    rf"|{MONTH},?\s+{YEAR}|{YEAR}(?:s|[–-]\d{{2,4}})?|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}"
    rf"|(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)|{ORDINAL_WORD})\s+century(?:\s+(?:BC|AD|BCE|CE))?"
    rf"|{AGO}"
    rf"|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|yesterday|today|tomorrow"
    rf"|(?:January|February|March|April|June|July|August|September|October|November|December))\b",
    re.IGNORECASE,
)
SCALE = r"(?:\s+(?:hundred|thousand|million|billion|trillion))?"
UNIT = (r"(?:\s*(?:%|percent\b|per\s+cent\b)|\s+(?:km²|km2|km|kilomet(?:er|re)s?|mi|miles?|m|met(?:er|re)s?|feet|ft|"
        r"inch(?:es)?|kg|kilograms?|pounds?|lb|tons?|tonnes?|square\s+\w+|cubic\s+\w+|years?|months?|weeks?|days?|"
        r"hours?|minutes?|seconds?|people|points?|yards?|dollars?|euros?|acres?|hectares?|°C|°F|degrees?)\b)?")
NUMBER_WORD = f"(?:{NUMBER_WORDS})"
DIGITS = r"\d(?:[\d,]*\d)?(?:\.\d+)?"  # "1,000,000", "2.5"; never the comma after "39,"
NUMBER = re.compile(
    rf"(?:[$€£]\s?)?\b(?:{DIGITS}(?:[–-]{DIGITS})?|{NUMBER_WORD}(?:[- ]{NUMBER_WORD})*){SCALE}{UNIT}",
    re.IGNORECASE,
)
LENGTH_UNIT = re.compile(r"\b(?:km²?|km2|kilomet(?:er|re)s?|mi|miles?|m|met(?:er|re)s?|feet|foot|ft|inch(?:es)?|cm|"
                         r"centimet(?:er|re)s?|yards?)\b|\d-(?:mile|foot|feet|met(?:er|re)|km)\b", re.IGNORECASE)
UNIT_AT_END = re.compile(UNIT.removesuffix("?") + "$", re.IGNORECASE)  # "400 m", "8,000 years"; not "three"
HYPHENATED_UNIT = re.compile(r"-(?:second|minute|hour|day|week|month|year|mile|foot|feet|met(?:er|re)|"
                             r"kilomet(?:er|re)|km)s?\b", re.IGNORECASE)  # "a 30-second commercial"
ONE_UNIT = re.compile(r"\b(?:an?|one)\s+(?:half\s+)?(?:second|minute|hour|day|week|fortnight|month|year|decade|century|"
                      r"mile|foot|met(?:er|re)|kilomet(?:er|re))\b", re.IGNORECASE)  # "a week", "an hour"
CAPITALISED = rf"(?:[{UPPER}][\w'’.-]*[\w]|[{UPPER}]|\d+\b(?![–-]))"
CONNECTOR = r"(?:of|de|del|der|den|des|van|von|da|di|du|la|le|al|bin|the|&|for|upon|am|an|im|bij|aan|op|sur|zu|zum|zur)"
NAME = re.compile(rf"(?<![\w'’-]){CAPITALISED}(?:\s+(?:{CONNECTOR}\s+)*{CAPITALISED})*(?<!['’])")
LOCATIVE = re.compile(r"\b(?:in|at|from|near|to|into|of|across|through|outside|inside|within|between|on)\s+"
                      r"(?:the\s+)?$", re.IGNORECASE)
LEADING = re.compile(r"^(?:the|The|A|An|This|That|These|Those|His|Her|Its|Their|In|On|At|By|For|From|After|Before|"
                     r"During|Since|When|While|However|But|And|Also|Although|Despite|As|Of|With|Both|Then|Later|"
                     r"Meanwhile|Earlier|Now|Instead|Still|Thus|Today|Yesterday|Afterwards|Finally|Eventually|"
                     r"Initially|Currently|Previously|Recently)\s+")
HONORIFIC = re.compile(r"(?:^|\s)(?:Mr|Mrs|Ms|Dr|Prof|Sir|Dame|Captain|Capt|Colonel|Col|General|Gen|Lieutenant|Lt|"
                       r"Sergeant|Sgt|Major|Admiral|Mayor|President|Prime Minister|Minister|Senator|Sen|Governor|Gov|"
                       r"Representative|Rep|Judge|Justice|King|Queen|Prince|Princess|Pope|Bishop|Father|Rev|"
                       r"Chancellor|Secretary|Spokesperson|Spokesman|Spokeswoman|Coach|Officer|Detective|Inspector|Chief|"
                       r"Commissioner|Chairman|Chairwoman|Director|Ambassador|Manager|Dean|Professor)\.?\s+"
                       rf"(?=[{UPPER}])")
POSSESSIVE = re.compile(r"['’]s$")
WORD_AT_END = re.compile(r"\s([A-Za-z]+)$")  # the unit a number span ends with: "two people"
WEEKDAY_OR_MONTH = re.compile(rf"^(?:{MONTH}|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$")


@dataclass(frozen=True)
class Candidate:
    """A span of ``sentence`` (offsets relative to the sentence) that may answer the question."""

    start: int
    end: int
    text: str
    kind: Kind
    locative: bool = False  # a name after "in", "at", "from": a place more likely than a person


def _names(sentence: str) -> list[Candidate]:
    dates: list[tuple[int, int]] | None = None  # found when first needed: the date pattern is slow
    found = []
    for match in NAME.finditer(sentence):
        start, text = match.start(), match.group()
        while (lead := LEADING.match(text)) and len(text) > lead.end():  # "The Rhine" -> "Rhine"
            start, text = start + lead.end(), text[lead.end():]
        text = POSSESSIVE.sub("", text.rstrip("."))  # "Peyton Manning's" -> "Peyton Manning"
        owner, mark, owned = text.partition("'s ") if "'s " in text else text.partition("’s ")
        if mark and " " in owned:  # "Miami's Sun Life Stadium" -> "Sun Life Stadium"; "Levi's Stadium" stays
            start, text = start + len(owner) + len(mark), owned
        if not text or text[0].isdigit() or WEEKDAY_OR_MONTH.match(text) or LEADING.match(text + " "):
            continue
        if start == 0 and " " not in text and not text.isupper():
            continue  # a lone capitalised first word is usually just the start of the sentence
        if dates is None:
            dates = [(m.start(), m.end()) for m in DATE.finditer(sentence)]
        if any(s < start + len(text) and start < e for s, e in dates):
            continue  # "February 2016" is a date, not a name
        before = sentence[:start]
        found.append(Candidate(start, start + len(text), text, Kind.NAME, bool(LOCATIVE.search(before))))
    return found


def measures(sentence: str) -> list[Candidate]:
    """Numbers with their unit, for "how long/far/high…" ("1,230 km", "a 30-second", "a week"): a bare
    number does not say how long or how far."""
    found = []
    for c in numbers(sentence):
        if UNIT_AT_END.search(c.text):
            found.append(c)
        elif unit := HYPHENATED_UNIT.match(sentence, c.end):
            found.append(Candidate(c.start, unit.end(), sentence[c.start:unit.end()], Kind.NUMBER))
    found += [Candidate(m.start(), m.end(), m.group(), Kind.NUMBER) for m in ONE_UNIT.finditer(sentence)
              if not any(c.start <= m.start() < c.end for c in found)]
    return sorted(found, key=lambda c: c.start)


def dates(sentence: str) -> list[Candidate]:
    return [Candidate(m.start(), m.end(), m.group(), Kind.DATE) for m in DATE.finditer(sentence)]


def numbers(sentence: str) -> list[Candidate]:
    """Numbers, with their scale and unit; "11,700 years ago" is a date and a number ("how many years ago")."""
    spans = [(m.start(), m.end()) for m in DATE.finditer(sentence) if not AGO_DATE.fullmatch(m.group())]
    return [Candidate(m.start(), m.end(), m.group().strip(), Kind.NUMBER) for m in NUMBER.finditer(sentence)
            if m.group().strip() and not any(s <= m.start() and m.end() <= e for s, e in spans)]


def names(sentence: str) -> list[Candidate]:
    """Runs of capitalised words: names stand in for people, places and named things."""
    return _names(sentence)


def places(sentence: str) -> list[Candidate]:
    return [Candidate(c.start, c.end, c.text, Kind.PLACE, c.locative) for c in _names(sentence)]


MODIFIER = re.compile(r"\b(?:a|an)\s+$", re.IGNORECASE)  # "an American football game", "an IS militant"
LOWER_NEXT = re.compile(r"\s+[a-z]")


def people(sentence: str) -> list[Candidate]:
    """Names without their title: "Captain Mira Okonkwo", "NFL Commissioner Roger Goodell" -> the name. A lone
    word between "a"/"an" and a noun describes the noun ("an American football game"): not who."""
    found = []
    for c in _names(sentence):
        if " " not in c.text and MODIFIER.search(sentence[:c.start]) and LOWER_NEXT.match(sentence, c.end):
            continue
        cut = next((m for m in reversed(list(HONORIFIC.finditer(c.text))) if " " in c.text[m.end():]), None)
        start = c.start + (cut.end() if cut else 0)
        found.append(Candidate(start, c.end, c.text[start - c.start:], Kind.PERSON, c.locative))
    return found


YEAR_ALONE = re.compile(rf"\b{YEAR}\b")


def year_of(candidate: Candidate) -> Candidate:
    """"What year" asks for the year: "2013" of "May 21, 2013" and of "early 2013" (a span of years stays)."""
    years = list(YEAR_ALONE.finditer(candidate.text))
    if len(years) != 1 or candidate.text == years[0].group() or re.search(r"\d[–-]\d|\d0s\b", candidate.text):
        return candidate
    [at] = years
    return Candidate(candidate.start + at.start(), candidate.start + at.end(), at.group(), candidate.kind)


NEXT_WORDS = re.compile(r"\s+([A-Za-z][\w-]*)(?:\s+([A-Za-z][\w-]*))?")


def counting(head: str, sentence: str, candidate: Candidate) -> int:
    """Does a number count what "how many HEAD" asks for? 1: the noun follows it ("two people", "two forced
    fumbles" for fumbles), -1: another plural does ("three vehicles"), 0: it stands alone ("rose to four")."""
    inside = WORD_AT_END.search(candidate.text)
    after = NEXT_WORDS.match(sentence, candidate.end)
    words = [inside.group(1)] if inside else [w for w in (after.groups() if after else ()) if w]
    words = [w.lower() for w in words]
    if not words or not head:
        return 0
    if any(same_root(w, head) for w in words):
        return 1
    return -1 if looks_plural(words[0]) else 0
