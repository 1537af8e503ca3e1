"""Crisis language detection and the private resources reply.

``detect_crisis(text)`` answers whether a message carries crisis language, how urgent it
is and which kind (see ``rules.CATEGORIES``), or None. It is pure and fast (no I/O, well
under a millisecond per message) and explainable: ``CrisisMatch.rule`` names the lexicon
rule that fired, never the text. The method, categories and measured figures are in
docs/SAFETY.md.

Steps: normalize (``normalize.py``), blank idioms (``idioms.py``), run the rules
(``lexicon_thoughts.py``, ``lexicon_acts.py`` and the program's own terms), and drop
each match a scope rule explains away (``scope.py``): negation or denial, someone else as
the subject, a past the writer has come through, teaching/news/lyrics, a joke or game.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.domain.crisis import linear, scope
from bot.domain.crisis.cues import CUES
from bot.domain.crisis.idioms import IDIOM_MARK, blank, compile_idioms
from bot.domain.crisis.lexicon_acts import ACTS
from bot.domain.crisis.lexicon_gaps import GAPS, MORE_GAPS
from bot.domain.crisis.lexicon_harm import HARM
from bot.domain.crisis.lexicon_more import MORE
from bot.domain.crisis.lexicon_thoughts import ACTIVE, INTENT, PASSIVE
from bot.domain.crisis.lexicon_wishes import WISHES
from bot.domain.crisis.normalize import CLAUSE, normalize, variants
from bot.domain.crisis.prefilter import Filtered
from bot.domain.crisis.resources import resources_text
from bot.domain.crisis.rules import CATEGORIES, PRIORITY, Rule, Severity, rule

__all__ = [
    "CATEGORIES",
    "CrisisMatch",
    "Severity",
    "detect_crisis",
    "normalize",
    "resources_text",
]

LEXICON: tuple[Rule, ...] = (
    ACTIVE + PASSIVE + INTENT + ACTS + HARM + MORE + WISHES + GAPS + MORE_GAPS
)
# Rules whose match is an explicit answer (flag ``P``): they stand whatever the model says.
_ANSWERS = frozenset(found.id for found in LEXICON if "P" in found.flags)
CUE_THRESHOLD = 2.0
PROGRAM_CATEGORY = "active_ideation"
PROGRAM_RULE = "program_term_"

# Another crisis word elsewhere in the message: what weak rules (flag C) need.
_CONTEXT = re.compile(
    r"\b(?:die|dying|dead|death|end it|end my life|suicid\w*|kill|gone|goodbye|forever|"
    r"for good|anymore|any more|cant do|cant take|cant go|done|over|worthless|hopeless|"
    r"nobody|no one|sorry|forgive|love you all|love you guys|tonight|last|final|peace|pills|"
    r"overdose|od|cut|bleed|blade|rope|bridge|gun|wake up|burden|miss me|ending|kms|unalive|"
    r"sh|si|calm|ready|enough|wont need|dont need|take care of|be mad at me|not be around|"
    r"wont be|this week|after this|it all|goodbyes|do it|plan|trigger|loaded|ledge|edge|"
    r"jump|numb|empty|point|relapsed|used|end|letters?|notes?|high|drunk|wasted|tabs|alone|"
    r"on purpose)\b"
)
# Present-tense timing that turns a thought into intent ("thinking about ending it tonight").
_SOON = re.compile(
    r"\b(?:tonight|today|this weekend|tomorrow|right now|soon|in an hour|after group|"
    r"when (?:everyone|they) (?:leave|leaves|sleep)|going to|decided|ready to|about to)\b"
)


# A saying with the words that lead into it ("im going to" + "die laughing"): what is left
# of "im going to idiom" is not an intent.
_SAYING_WITH_LEAD = re.compile(
    r"\b(?:(?:im|i|ill|i will|i am|going to|about to|bout to|want to|will|would|could|might|"
    r"just|so|literally|be|gonna|finna)\s+)*"
    rf"{IDIOM_MARK.strip()}\b"
)

# A question answered no at the end of the message ("... ending your life? no").
_ANSWERED_NO = re.compile(
    r"\?\W*(?:no|nope|nah|none|never|not really|not at all|no not at all)\W*$"
)


@dataclass(frozen=True, slots=True)
class CrisisMatch:
    """What fired: the severity, the category id and the rule id (safe to log)."""

    severity: Severity
    category: str
    rule: str

    @property
    def phrase(self) -> str:
        """The old name of ``rule``, kept for callers written before categories."""
        return self.rule


def _program_rule(index: int, term: str) -> Rule | None:
    category = PROGRAM_CATEGORY
    head, sep, tail = term.partition(":")
    if sep and head.strip() in CATEGORIES:
        category, term = head.strip(), tail
    prefix = term.rstrip().endswith("*")
    wanted = normalize(term.rstrip().rstrip("*"))
    if not wanted or "|" in wanted:
        return None
    tail_re = r"[a-z0-9]*\b" if prefix else r"\b"
    return rule(f"{PROGRAM_RULE}{index}", category, rf"\b{re.escape(wanted)}{tail_re}", "S")


@lru_cache(maxsize=1)
def _model() -> linear.Models | None:
    return linear.load()


@lru_cache(maxsize=32)
def _compiled(
    extra_terms: tuple[str, ...], extra_idioms: tuple[str, ...]
) -> tuple[tuple[Rule, ...], tuple[Filtered, ...]]:
    program = [_program_rule(i, t) for i, t in enumerate(extra_terms)]
    rules = LEXICON + tuple(r for r in program if r is not None)
    return rules, compile_idioms(extra_idioms)


def _in_scope(text: str, start: int, end: int, check_subject: bool) -> bool:
    first_person = scope.first_person(text[start:end])
    if scope.negated(text, start, end):
        return False
    if check_subject and scope.other_subject(text, start, end):
        return False
    if scope.past_recovery(text, start, end):
        return False
    return not scope.education(text, start, end, first_person)


def _cue_score(text: str) -> str | None:
    """The strongest family when the message's surviving cues weigh enough, else None."""
    total = 0.0
    families: list[str] = []
    for _cue_id, family, weight, pattern in CUES:
        seen: set[str] = set()
        for match in pattern.finditer(text):
            subject = family != "plan_preparation"  # a goodbye names others by nature
            if match.group(0) not in seen and _in_scope(text, match.start(), match.end(), subject):
                seen.add(match.group(0))
                total += weight
                families.append(family)
                if len(seen) == 2:
                    break
    if total < CUE_THRESHOLD or scope.moving_on(text):
        return None
    return min(families, key=PRIORITY.index)


def _survives(found: Rule, text: str, start: int, end: int) -> bool:
    if not _in_scope(text, start, end, "S" in found.flags):
        return False
    if "H" in found.flags and scope.hyperbole(text, start, end):
        return False
    if scope.gaming(text, start, end, found.id):
        return False
    if "C" in found.flags:
        rest = text[:start] + " " + text[end:]
        return bool(_CONTEXT.search(rest)) and not scope.moving_on(text)
    return True


def _category(found: Rule, text: str, start: int, end: int) -> str:
    if found.category == "active_ideation":
        left, right = scope.clause_bounds(text, start, end)
        if _SOON.search(text[left:right]):
            return "intent"
    return found.category


def _scan(text: str, rules: tuple[Rule, ...]) -> tuple[list[tuple[str, str]], bool]:
    """Surviving hits (category, rule id), and whether any match was explained away."""
    hits: list[tuple[str, str]] = []
    dismissed = False
    for found in rules:
        if not found.may_match(text):
            continue  # none of the words every match needs is in the message
        for match in found.pattern.finditer(text):
            if _survives(found, text, match.start(), match.end()):
                hits.append((_category(found, text, match.start(), match.end()), found.id))
                break
            dismissed = True
    return hits, dismissed


def _cue_families(text: str) -> list[str]:
    """The cue families (``cues.py``) any of whose patterns appear in normalized ``text``,
    whether or not they weigh enough to fire."""
    return [family for _id, family, _w, pattern in CUES if pattern.search(text)]


@dataclass(frozen=True, slots=True)
class RuleEvidence:
    """What the rules and scope rules saw in a message, before the learned part.

    ``hits``: surviving (category, rule id) pairs; ``dismissed``: a match was explained
    away by a scope rule; ``framed``: the message has a denial, past, teaching,
    other-subject or leaving-the-program frame; ``denial``: the writer says plainly they
    are safe / not suicidal; ``about_other``: the message is about helping someone else
    ("my sis is cutting again what do i do"); ``answered_no``: the message is a question
    answered "no"
    ("were you thinking of ending your life? no"); ``idiom``: an everyday saying was
    blanked out ("this traffic is killing me"); ``taken_back``: after a denial, what the
    writer goes on to say ("not suicidal | just wish i didnt exist": "just wish i didnt
    exist"), read on its own by the learned part; ``saying_free``: when a saying was
    found, the normalized message without it ("took a stab at the crossword": "took the
    crossword"), which the learned part scores too (``combine`` keeps the lower score).
    """

    hits: tuple[tuple[str, str], ...]
    dismissed: bool
    framed: bool
    denial: bool
    answered_no: bool = False
    about_other: bool = False
    taken_back: str = ""
    idiom: bool = False
    saying_free: str = ""

    @property
    def vetoed(self) -> bool:
        return self.dismissed or self.framed or self.denial or (self.idiom and linear.IDIOM_VETO)


def rule_evidence(
    text: str, extra_terms: Iterable[str] = (), extra_idioms: Iterable[str] = ()
) -> RuleEvidence:
    """The rules' view of ``text`` (see ``RuleEvidence``); the learned part is not asked."""
    rules, idioms = _compiled(tuple(extra_terms), tuple(extra_idioms))
    hits: list[tuple[str, str]] = []
    dismissed = False
    idiom = False
    saying_free = ""
    clean = ""
    for reading in variants(text):
        clean = blank(reading, idioms)
        if clean != reading and not idiom:
            idiom = True
            saying_free = _without_sayings(clean)
        if clean:
            found, explained = _scan(clean, rules)
            hits += found
            dismissed = dismissed or explained
            if not hits:
                cue = _cue_score(clean)
                if cue is not None:
                    hits.append((cue, "cue_score"))
    denial = bool(clean) and scope.explicit_denial(clean)
    taken_back = scope.after_denial(clean) if denial else ""
    if hits and denial:
        after = _scan(taken_back, rules)[0] if taken_back else []
        hits = [hit for hit in hits if CATEGORIES[hit[0]] == "urgent" or hit in after]
    framed = not clean or not scope.model_may_speak(clean)
    answered_no = bool(_ANSWERED_NO.search(text.casefold()))
    about_other = bool(clean) and scope.about_someone_else(clean)
    return RuleEvidence(
        tuple(hits),
        dismissed,
        framed,
        denial,
        answered_no,
        about_other,
        taken_back,
        idiom,
        saying_free,
    )


def _without_sayings(blanked: str) -> str:
    """Normalized text whose idioms were blanked, as plain words for the learned part."""
    words = _SAYING_WITH_LEAD.sub(" ", blanked).replace(CLAUSE, " ")
    return " ".join(words.split())


def detect_crisis(
    text: str,
    extra_terms: Iterable[str] = (),
    extra_idioms: Iterable[str] = (),
    *,
    use_model: bool = True,
) -> CrisisMatch | None:
    """Crisis language in ``text``, or None.

    ``extra_terms`` are the program's own phrases (config ``safety.crisis_terms``): whole
    words after normalization, ``word*`` for any word starting with ``word``, and an
    optional ``category:`` prefix (default ``active_ideation``). ``extra_idioms`` are
    phrases that must not fire (config ``safety.crisis_idioms``). Both go through the same
    scope rules as the built-in lexicon. ``use_model=False`` leaves out the learned part
    (to measure it separately): the rules alone decide.
    """
    evidence = rule_evidence(text, extra_terms, extra_idioms)
    trained = _model() if use_model else None
    if trained is None:
        return _from_rules(evidence.hits)
    return combine(evidence, text, trained)


def combine(evidence: RuleEvidence, text: str, models: linear.Models) -> CrisisMatch | None:
    """The rules' evidence and the learned scores together (thresholds in ``linear``).

    A rule match keeps its severity and category unless the model finds it unlikely; a
    program's own term always stands (the model has never seen the program's words).
    When only the model fires, the urgency model picks urgent or concern; the category is
    the strongest cue family seen (or ``active_ideation`` / ``passive_ideation``) and the
    rule id is ``model``.
    """
    if any(rule_id.startswith(PROGRAM_RULE) for _category, rule_id in evidence.hits):
        return _from_rules(evidence.hits)  # the program's own words: the model never saw them
    if any(rule_id in _ANSWERS for _category, rule_id in evidence.hits):
        return _from_rules(evidence.hits)  # "SI: yes" in a note: the model may not overrule
    score = models.crisis.probability(text)
    if evidence.idiom:  # the saying's words say nothing: the lower of the two readings
        free = models.crisis.probability(evidence.saying_free) if evidence.saying_free else 0.0
        score = min(score, free)
    if evidence.hits:
        strong = any(
            CATEGORIES[category] == "urgent" and rule_id != "cue_score"
            for category, rule_id in evidence.hits
        )
        needed = linear.KEEP_URGENT_RULE_HIT if strong else linear.KEEP_RULE_HIT
        return _from_rules(evidence.hits) if score >= needed else None
    if evidence.denial:
        return _taken_back(evidence.taken_back, models)
    if len(text.split()) < linear.MIN_WORDS or evidence.answered_no or evidence.about_other:
        return None
    needed = linear.THROUGH_SCOPE if evidence.vetoed else linear.ALONE
    if score < needed:
        return _plan_concern(evidence, text, score)
    return _model_match(text, score, models)


def _taken_back(rest: str, models: linear.Models) -> CrisisMatch | None:
    """After an explicit denial the learned part reads only what follows it, and needs
    ``linear.TAKEN_BACK`` there, in a clause free of any scope frame."""
    if linear.TAKEN_BACK is None or len(rest.split()) < linear.MIN_WORDS:
        return None
    if not scope.model_may_speak(rest):
        return None
    score = models.crisis.probability(rest)
    return _model_match(rest, score, models) if score >= linear.TAKEN_BACK else None


def _model_match(text: str, score: float, models: linear.Models) -> CrisisMatch | None:
    """The model alone fires at ``score``: the short-message guard, then the severity."""
    families = _cue_families(normalize(text))  # only when the model would fire: cheap
    short = len(text.split()) < linear.SHORT_WORDS and not (linear.SHORT_ANY and families)
    if short and score < linear.SHORT:
        return None  # "on my way", "peace out": everyday chat
    urgent = [f for f in families if CATEGORIES[f] == "urgent"]
    allowed = bool(urgent) or not linear.URGENT_NEEDS_CUE
    if allowed and models.urgent.probability(text) >= linear.URGENT:
        category = min(urgent, key=PRIORITY.index) if urgent else "active_ideation"
    else:
        category = "passive_ideation"
    return CrisisMatch(CATEGORIES[category], category, "model")


def _plan_concern(evidence: RuleEvidence, text: str, score: float) -> CrisisMatch | None:
    """Below ``ALONE``: a concern when the score reaches ``linear.PLAN_CUE`` and a goodbye or
    preparatory-act cue appears ("left my keys with my brother"), in a message with no scope
    frame; otherwise nothing."""
    floor = linear.PLAN_CUE
    if floor is None or score < floor or evidence.vetoed:
        return None
    if "plan_preparation" not in _cue_families(normalize(text)):
        return None
    return CrisisMatch(CATEGORIES["passive_ideation"], "passive_ideation", "model")


def _from_rules(hits: Iterable[tuple[str, str]]) -> CrisisMatch | None:
    ordered = sorted(hits, key=lambda hit: PRIORITY.index(hit[0]))
    if not ordered:
        return None
    category, rule_id = ordered[0]
    return CrisisMatch(CATEGORIES[category], category, rule_id)
