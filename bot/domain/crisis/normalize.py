"""Text normalization for crisis detection: one canonical spelling per word.

What it undoes, in order: Unicode compatibility forms and case; emoji used as words
(🔪 "knife", 💊 "pills", 🪦 "grave"); apostrophes ("don't" = "dont"); masked and
spaced-out words ("k*ll", "s*icidal", "su1c1d3", "k.m.s", "k i l l"); chat spellings
("wanna", "gonna", "2" = "to", "rn", "tn"); run-together words ("killmyself"); common
misspellings of the key words ("sucide", "myslef", "overdoes"); letters repeated for
emphasis ("dieeee"). Sentence ends and words that turn a sentence ("but", "though")
become the clause mark ``|`` so scope rules work clause by clause.

The result has only lower-case words, single spaces and ``|``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

CLAUSE = "|"

# Emoji people use in place of words. Laughing faces become "lol" (a hyperbole cue).
_EMOJI = {
    "\U0001f52a": " knife ",  # 🔪
    "\U0001fa78": " blood ",  # 🩸
    "\U0001f48a": " pills ",  # 💊
    "\U0001faa6": " grave ",  # 🪦
    "\u26b0": " coffin ",  # ⚰
    "\U0001f52b": " gun ",  # 🔫
    "\U0001faa2": " rope ",  # 🪢
    "\U0001f309": " bridge ",  # 🌉
    "\U0001f682": " train ",  # 🚂
    "\U0001f686": " train ",  # 🚆
    "\U0001f683": " train ",  # 🚃
    "\U0001f489": " needle ",  # 💉
    "\U0001f37e": " bottle ",  # 🍾
    "\U0001f943": " drink ",  # 🥃
    "\U0001f37a": " beer ",  # 🍺
    "\U0001f602": " lol ",  # 😂
    "\U0001f923": " lol ",  # 🤣
    "\U0001f606": " lol ",  # 😆
    "\U0001f480": " lol ",  # 💀 (in chat: "I'm dying of laughter")
    "\u2620": " lol ",  # ☠
    "\U0001f44b": " wave ",  # 👋
    "\U0001f91d": " with ",  # 🤝
}
_EMOJI_RE = re.compile("|".join(map(re.escape, _EMOJI)))

_APOSTROPHES = re.compile(r"['\u2019\u2018`\u00b4\u02bc]")
# "OD'd", "OD'ing" before apostrophes go: otherwise "odd".
_OD_FORMS = re.compile(r"\bod['\u2019]?(d|ed|ing)\b")
_SENTENCE_END = re.compile(r"(?:[.!?;]+(?=\s|$)|[\n\r]+|\s[-\u2013\u2014]+\s|\.{2,}|\u2026)")
# Letters separated by dots, stars, dashes or underscores: "k.m.s", "s-h", "k_i_l_l".
_DOTTED = re.compile(r"\b(?:[a-z][._\-]){1,}[a-z]\b")
# Four or more single letters separated by spaces: "k i l l", "d i e".
_SPACED = re.compile(r"\b(?:[a-z] ){2,}[a-z]\b")
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
)
_MASKED_TOKEN = re.compile(r"[a-z0-9@$!*#%]*[a-z][a-z0-9@$!*#%]*")
_MASKS = "*#%"
_NOT_WORD = re.compile(r"[^a-z0-9|, ]+")
# A check-in form's "SI+" / "SH +": a yes.
_PLUS_ANSWER = re.compile(r"\b(si|sh)\s*\+")
_COMMA = re.compile(r" *,[ ,]*")
_SPACE = re.compile(r" +")
_REPEATS = re.compile(r"([a-z])\1{2,}")

# Words a masked token may stand for ("k*ll" = "kill"): each mask is one letter.
_MASKABLE = (
    "kill",
    "killing",
    "suicide",
    "suicidal",
    "die",
    "dying",
    "dead",
    "death",
    "unalive",
    "unalived",
    "unaliving",
    "myself",
    "overdose",
    "cut",
    "cutting",
    "harm",
    "hang",
    "pills",
    "life",
    "end",
    "kms",
)

# Chat spellings, abbreviations and misspellings, token -> words.
_WORDS = {
    "2": "to",
    "4": "for",
    "u": "you",
    "ur": "your",
    "r": "are",
    "wanna": "want to",
    "wamna": "want to",
    "wana": "want to",
    "wnna": "want to",
    "wan": "want",
    "wnt": "want",
    "wamt": "want",
    "gonna": "going to",
    "gona": "going to",
    "gunna": "going to",
    "finna": "going to",
    "imma": "im going to",
    "ima": "im going to",
    "tryna": "trying to",
    "bouta": "about to",
    "boutta": "about to",
    "gotta": "got to",
    "hafta": "have to",
    "rn": "right now",
    "tn": "tonight",
    "tonite": "tonight",
    "2nite": "tonight",
    "2night": "tonight",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "bc": "because",
    "cuz": "because",
    "ppl": "people",
    "every1": "everyone",
    "some1": "someone",
    "no1": "no one",
    "noone": "no one",
    "any1": "anyone",
    "b4": "before",
    "nvr": "never",
    "ion": "i dont",
    "thx": "thanks",
    "ty": "thank you",
    "cuttin": "cutting",
    "cuting": "cutting",
    "harme": "harm",
    "slef": "self",
    "shd": "did sh",
    "shing": "doing sh",
    "wnat": "want",
    "watn": "want",
    "agian": "again",
    "lfie": "life",
    "ded": "dead",
    "lyfe": "life",
    "kms2": "kms",
    "dye": "dye",
    "sucide": "suicide",
    "suicde": "suicide",
    "botle": "bottle",
    "han": "hang",
    "abt": "about",
    "bout": "about",
    "sui": "suicidal",
    "rly": "really",
    "realy": "really",
    "dnt": "dont",
    "cnt": "cant",
    "cannot": "cant",
    "plz": "please",
    "pls": "please",
    "ily": "i love you",
    "ilysm": "i love you",
    "ngl": "",
    "tbh": "",
    "tbf": "",
    "fr": "for real",
    "frfr": "for real",
    "lmao": "lol",
    "lmfao": "lol",
    "lolol": "lol",
    "haha": "lol",
    "hahaha": "lol",
    "hehe": "lol",
    "rofl": "lol",
    "jk": "just kidding",
    "myslef": "myself",
    "mysef": "myself",
    "myslf": "myself",
    "meself": "myself",
    "mysefl": "myself",
    "mself": "myself",
    "myselff": "myself",
    "kil": "kill",
    "kll": "kill",
    "killl": "kill",
    "kiling": "killing",
    "overdoes": "overdose",
    "overdos": "overdose",
    "overdoze": "overdose",
    "ovedose": "overdose",
    "unalve": "unalive",
    "unalife": "unalive",
    "sewerslide": "suicide",
    "sewerside": "suicide",
    "sooicide": "suicide",
    "selfharm": "self harm",
    "selfharming": "self harming",
    "killmyself": "kill myself",
    "killmyslef": "kill myself",
    "killingmyself": "killing myself",
    "wanttodie": "want to die",
    "wannadie": "want to die",
    "iwanttodie": "i want to die",
    "endmylife": "end my life",
    "endit": "end it",
    "unalivemyself": "unalive myself",
    "selfdelete": "self delete",
    "any more": "anymore",
    "byebye": "bye",
    "gbye": "goodbye",
    "checkin": "check in",
    "thru": "through",
    "tho": "though",
    "bf": "boyfriend",
    "gf": "girlfriend",
    "pils": "pills",
    "pillz": "pills",
    "razer": "razor",
    "hopless": "hopeless",
    "burdon": "burden",
    "burdan": "burden",
}

# Misspelled or split phrases, fixed on the text before single words.
_PHRASE_FIX = {
    "want too": "want to",
    "un alive": "unalive",
    "the hole bottle": "the whole bottle",
    "the hole bag": "the whole bag",
    "the hole thing": "the whole thing",
    "the hole botle": "the whole bottle",
    "kill my slef": "kill myself",
    "end my lfie": "end my life",
    "sewer slide": "suicide",
    "s i": "si",
    "suey thoughts": "suicidal thoughts",
    "sui thoughts": "suicidal thoughts",
    "self-harm": "self harm",
}
_PHRASES = re.compile(r"\b(?:" + "|".join(map(re.escape, _PHRASE_FIX)) + r")\b")
# Words run together inside a longer token ("ihatemylifeiwanttodie").
_COMPOUNDS = {
    "wanttodie": " want to die ",
    "killmyself": " kill myself ",
    "endmylife": " end my life ",
    "wannadie": " want to die ",
    "unalivemyself": " unalive myself ",
}
_COMPOUND_RE = re.compile("|".join(_COMPOUNDS))

_SUICIDE_WORD = re.compile(r"s[uoea]{0,2}[iy]{0,2}[cs]{1,2}[iy]{0,2}d(?:e|es|ed)?")
_SUICIDAL_WORD = re.compile(r"s[uoea]{0,2}[iy]{0,2}[cs]{1,2}[iy]{0,2}d[iey]{0,2}a?l+(?:y|e)?")
_TURNS = re.compile(r" (but|though|although|however|except|and then|and now|so now|yet) ")


_DIGIT_WORDS = {"4ever": "forever", "4eva": "forever", "2day": "today", "b4": "before"}
_TWO = re.compile(r"(?<=[a-z])2(?=[a-z]|$)")


def _unmask(token: str) -> str:
    token = token.strip("*#%!").rstrip("@$")
    if not any(c.isdigit() or c in "@$!*#%" for c in token) or token.isdigit():
        return token
    if token in _DIGIT_WORDS:
        return _DIGIT_WORDS[token]
    if _TWO.search(token):
        return _TWO.sub(" to ", token)
    leet = token.translate(_LEET)
    if any(m in leet for m in _MASKS):
        pattern = re.compile("".join("[a-z]" if c in _MASKS else re.escape(c) for c in leet))
        for word in _MASKABLE:
            if pattern.fullmatch(word):
                return word
        return leet.replace("*", "").replace("#", "").replace("%", "")
    return leet


# Key words a one-letter slip is corrected to ("sucidal", "overdsoe", "myslef"): same
# first letter, length 5+, one edit or swap away. Words whose neighbours are common
# English words ("living"/"loving", "hurting"/"hunting") are left out on purpose.
_FUZZY_KEYS = ("myself", "suicide", "suicidal", "killing", "overdose", "unalive", "tonight")


def _one_edit(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1 or a[0] != b[0]:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i, j = diff[0], diff[-1]
        return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _fuzzy(token: str) -> str:
    if len(token) < 5 or not token.isalpha():
        return token
    for key in _FUZZY_KEYS:
        if _one_edit(token, key):
            return key
    return token


def _canonical(token: str) -> str:
    if token in _WORDS:
        return _WORDS[token]
    if len(token) >= 9 and _COMPOUND_RE.search(token):
        return " ".join(_COMPOUND_RE.sub(lambda m: _COMPOUNDS[m.group(0)], token).split())
    if (
        len(token) >= 5
        and token.startswith("s")
        and "d" in token
        and ("u" in token or "c" in token)
    ):
        if _SUICIDAL_WORD.fullmatch(token):
            return "suicidal"
        if _SUICIDE_WORD.fullmatch(token):
            return "suicide"
    return _fuzzy(token)


def _join_spaced(match: re.Match[str]) -> str:
    joined = match.group(0).replace(" ", "")
    return joined if len(joined) >= 4 or joined in _MASKABLE else match.group(0)


def _squeeze(text: str, keep: int) -> str:
    return _REPEATS.sub(lambda m: m.group(1) * keep, text)


@lru_cache(maxsize=1024)
def normalize(text: str, *, repeats: int = 2) -> str:
    """Canonical words and clause marks; letters repeated 3+ times kept ``repeats`` times.
    Cached: one message is normalized by the rules, the learned part's features and the
    cue check."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c)
    )
    folded = _EMOJI_RE.sub(lambda m: _EMOJI[m.group(0)], folded)
    folded = _OD_FORMS.sub(lambda m: "oding" if m.group(1) == "ing" else "oded", folded)
    folded = _APOSTROPHES.sub("", folded)
    folded = _SENTENCE_END.sub(f" {CLAUSE} ", folded)
    folded = _DOTTED.sub(lambda m: re.sub(r"[._\-]", "", m.group(0)), folded)
    folded = _MASKED_TOKEN.sub(lambda m: _unmask(m.group(0)), folded)
    folded = _PLUS_ANSWER.sub(r" \1 yes ", folded)
    folded = _NOT_WORD.sub(" ", folded)
    folded = _COMMA.sub(" , ", folded)
    folded = _SPACED.sub(_join_spaced, folded)
    folded = _squeeze(folded, repeats)
    folded = _PHRASES.sub(lambda m: _PHRASE_FIX[m.group(0)], folded)
    words = [_canonical(w) for w in folded.split()]
    joined = " ".join(w for w in words if w)
    joined = _TURNS.sub(lambda m: f" {CLAUSE} {m.group(1)} ", f" {joined} ")
    joined = re.sub(r"(?:[|,] )+\|", CLAUSE, joined)
    return _SPACE.sub(" ", joined).strip(" |,")


def variants(text: str) -> list[str]:
    """The normalized text, plus a second reading when letters were repeated for
    emphasis ("dieee" -> "die", while "killll" -> "kill" needs two)."""
    first = normalize(text)
    if not _REPEATS.search(unicodedata.normalize("NFKC", text).casefold()):
        return [first]
    second = normalize(text, repeats=1)
    return [first] if second == first else [first, second]
