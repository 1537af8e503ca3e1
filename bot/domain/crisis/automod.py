"""The AutoMod backstop: Discord's own keyword rule, generated from the same lexicon.

When the bot cannot read message content (the privileged intent is off) or is down,
Discord's AutoMod still alerts the staff channel. Discord's limits shape what fits:
``keyword_filter`` up to 1,000 entries of up to 60 characters, ``regex_patterns`` up to
10 of up to 260 characters (Rust regex syntax: no look-around, no back-references) and
``allow_list`` up to 100 entries of up to 60 characters. AutoMod has no notion of scope
(a keyword inside "i would never kill myself" still triggers), so the allow list carries
the commonest denials and idioms as whole phrases, which Discord exempts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.crisis.normalize import normalize
from bot.domain.crisis.rules import CATEGORIES

MAX_KEYWORDS = 1000
MAX_KEYWORD_LENGTH = 60
MAX_REGEXES = 10
MAX_REGEX_LENGTH = 260
MAX_ALLOW = 100

# Phrases as the lexicon writes them (no apostrophes); variants are generated below.
PHRASES: tuple[str, ...] = (
    # active thoughts and intent
    "kill myself",
    "killing myself",
    "kill my self",
    "killmyself",
    "want to die",
    "wanna die",
    "want 2 die",
    "ready to die",
    "going to die tonight",
    "end my life",
    "ending my life",
    "end it all",
    "ending it all",
    "end it tonight",
    "take my own life",
    "take my life",
    "suicidal",
    "feeling suicidal",
    "suicide",
    "sewerslide",
    "sewer slide",
    "unalive",
    "unalive myself",
    "unaliving",
    "unalived",
    "kms",
    "ctb",
    "self delete",
    "off myself",
    "top myself",
    "neck myself",
    "end myself",
    "do myself in",
    "thinking about suicide",
    "thoughts of suicide",
    "suicidal thoughts",
    "having si",
    "my si",
    "permanent solution",
    "final exit",
    "permanent nap",
    "dirt nap",
    "log off for good",
    "going to do it tonight",
    "doing it tonight",
    "tonight's the night",
    "made up my mind",
    "i have a plan",
    "i know how i'd do it",
    "not safe with myself",
    "can't keep myself safe",
    "scared of what i'll do",
    # passive ideation
    "wish i was dead",
    "wish i were dead",
    "wish i wasn't alive",
    "wish i didn't exist",
    "wish i was never born",
    "better off dead",
    "better off without me",
    "be better off if i was gone",
    "don't want to live",
    "don't want to be alive",
    "don't want to exist",
    "don't want to be here anymore",
    "don't want to wake up",
    "hope i don't wake up",
    "never wake up",
    "sleep forever",
    "no reason to live",
    "nothing to live for",
    "no point in living",
    "what's the point of living",
    "life isn't worth living",
    "tired of living",
    "tired of being alive",
    "done with life",
    "can't go on",
    "can't do this anymore",
    "nobody would miss me",
    "no one would miss me",
    "i'm a burden",
    "burden to everyone",
    "waiting to die",
    "rather be dead",
    "want to disappear forever",
    # method and means
    "hang myself",
    "noose",
    "shoot myself",
    "gun to my head",
    "jump off a bridge",
    "jump off the bridge",
    "jump in front of a train",
    "slit my wrists",
    "cut my wrists",
    "drive off a bridge",
    "crash my car on purpose",
    "how many pills",
    "lethal dose",
    "painless way to die",
    "bought a rope",
    "carbon monoxide",
    # overdose
    "overdose on purpose",
    "od on purpose",
    "want to od",
    "going to od",
    "gonna od",
    "take all my pills",
    "take all my meds",
    "take the whole bottle",
    "whole bottle",
    "swallow all my pills",
    "enough to not wake up",
    "so i don't wake up",
    "hot shot",
    "hope it's laced",
    "don't care if i od",
    "don't care if it kills me",
    "use until i die",
    "drink myself to death",
    "hope i overdose",
    "hope i od",
    # plan and preparation
    "suicide note",
    "goodbye note",
    "goodbye letter",
    "wrote my note",
    "giving away my stuff",
    "gave away my stuff",
    "this is goodbye",
    "goodbye forever",
    "my last check in",
    "my final check in",
    "won't be here tomorrow",
    "won't need it anymore",
    "put my affairs in order",
    "saving up my pills",
    "stockpiling pills",
    "take care of my dog when i'm gone",
    "by the time you read this",
    # self-harm
    "cut myself",
    "cutting myself",
    "cutting again",
    "hurt myself",
    "hurting myself",
    "burn myself",
    "burning myself",
    "self harm",
    "self-harm",
    "selfharm",
    "relapsed on sh",
    "sh urges",
    "urge to cut",
    "want to cut",
    "fresh cuts",
)

# Rust-syntax patterns for masked and spaced spellings the keyword list cannot enumerate.
REGEXES: tuple[str, ...] = (
    r"(?i)\bk[i1!|*]+l+[l1|*]*\s*m[yi]\s*s[e3*]l[fv]",
    r"(?i)\bs[uüv*]+[i1!|*]+[cs]+[i1!|*]*d(e|al|le|ial)",
    r"(?i)\bw[a@4*]n+(t|n[a@4])?\s*(t[o0*]+|2)?\s*d[i1!*y]+e+\b",
    r"(?i)\bun\s*[a@4*]l[i1!*]v",
    r"(?i)\b(o\.?d\.?|overdos\w*)\s+on\s+purpose",
    r"(?i)\bend(ing)?\s+(my\s+l[i1!*]fe|it\s+all)",
    r"(?i)\bs[e3*]lf[\s._-]*(h[a@4*]rm|d[e3]l[e3]t)",
    r"(?i)\b(c[u*]t+(ing)?|h[u*]rt(ing)?|b[u*]rn(ing)?)\s*m[yi]\s*s[e3*]lf",
    r"(?i)\b(take|swallow|pop)\s+(all|every)\s+(of\s+)?(my|the)\s+(pills|meds|bars)",
    r"(?i)\b(sewer|sewa)\s*sl[iy]de|\bk\s*m\s*s\b",
)

# Denials and idioms that share a keyword; Discord exempts these phrases.
ALLOW: tuple[str, ...] = (
    "not suicidal",
    "never suicidal",
    "no suicidal thoughts",
    "not having suicidal thoughts",
    "don't want to die",
    "dont want to die",
    "do not want to die",
    "not going to kill myself",
    "not gonna kill myself",
    "would never kill myself",
    "won't kill myself",
    "wouldn't kill myself",
    "never hurt myself",
    "not going to hurt myself",
    "won't hurt myself",
    "wouldn't hurt myself",
    "not going to do anything",
    "no si",
    "no sh",
    "denies si",
    "denies sh",
    "suicide prevention",
    "suicide awareness",
    "suicide squad",
    "self harm awareness",
    "overdose awareness",
    "no thoughts of suicide",
    "not thinking about suicide",
    "used to be suicidal",
    "used to cut",
    "cut myself shaving",
    "cut myself cooking",
    "hurt myself at the gym",
    "sh free",
    "self harm free",
    "killing it",
    "dying to",
    "to die for",
)


@dataclass(frozen=True, slots=True)
class AutoModSpec:
    keywords: list[str]
    regexes: list[str]
    allow_list: list[str]


_WRITTEN = {
    "dont": ["don't", "dont"],
    "im": ["i'm", "im"],
    "ive": ["i've", "ive"],
    "wont": ["won't", "wont"],
    "cant": ["can't", "cant"],
    "wasnt": ["wasn't", "wasnt"],
    "didnt": ["didn't", "didnt"],
    "isnt": ["isn't", "isnt"],
    "whats": ["what's", "whats"],
    "id": ["i'd", "id"],
}
_CHAT = (("want to", "wanna"), ("going to", "gonna"))


def _variants(phrase: str) -> list[str]:
    base = " ".join(phrase.lower().replace("\u2019", "'").split())
    plain = base.replace("'", "")
    forms = [base, plain]
    for word, written in _WRITTEN.items():
        if f" {word} " in f" {plain} ":
            forms += [f" {plain} ".replace(f" {word} ", f" {w} ").strip() for w in written]
    for long_form, short in _CHAT:
        forms += [f.replace(long_form, short) for f in list(forms) if long_form in f]
    return forms


def _add(found: list[str], candidates: Iterable[str], limit: int) -> None:
    for candidate in candidates:
        if len(found) >= limit:
            return
        if candidate and len(candidate) <= MAX_KEYWORD_LENGTH and candidate not in found:
            found.append(candidate)


def crisis_automod_spec(extra_terms: Iterable[str] = ()) -> AutoModSpec:
    """The crisis rule's keywords, regexes and allow list for the program's extra terms."""
    keywords: list[str] = []
    for term in extra_terms:
        head, sep, tail = term.partition(":")
        phrase = tail if sep and head.strip() in CATEGORIES else term
        wildcard = phrase.strip().endswith("*")
        words = normalize(phrase.strip().rstrip("*"))
        if words and "|" not in words:
            _add(keywords, [words + ("*" if wildcard else "")], MAX_KEYWORDS)
    for phrase in PHRASES:
        _add(keywords, _variants(phrase), MAX_KEYWORDS)
    allow: list[str] = []
    _add(allow, ALLOW, MAX_ALLOW)
    regexes = [r for r in REGEXES if len(r) <= MAX_REGEX_LENGTH][:MAX_REGEXES]
    return AutoModSpec(keywords, regexes, allow)
