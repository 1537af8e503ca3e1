"""Scope rules: when a matched phrase is not about the writer, now.

Each check looks at the match inside its clause (the text between sentence ends and
turning words such as "but") or, for the frames that colour a whole message (a song, a
training, a video game), at the message. A message can hold a denied clause and a real
one ("i'm not okay. i want to die"): every match is judged on its own, and one match that
survives is enough.
"""

from __future__ import annotations

import re

from bot.domain.crisis.normalize import CLAUSE


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Negation and denial just before the match, with only these words in between.
_NEG_CUES = _words(
    "far not never dont didnt doesnt wont wouldnt isnt arent wasnt werent havent hasnt hadnt no "
    "nor without denies denied deny denying zero none neither shouldnt nothing"
)
_FILLER = _words(
    "i im ive id ill me am is are was be been being going to want wanting wanted plan "
    "planning plans planned thinking think thought thoughts of about have having had has any "
    "ever feel feeling felt really actually currently seriously truly would will do did does "
    "try trying get getting intention intentions intend intent desire desires urges urge a an "
    "the that it ideation active passive right now today tonight at all even anymore longer "
    "more actively like so such with some current experiencing acting act on reporting report "
    "endorse endorses endorsing hi or and si sh homicidal self harm harming suicidal risk "
    "again gonna going need needing wish wishing considering consider could can myself in "
    "this these those kind type sort recent recently lately since last check week point close "
    "where near use using drink drinking relapse anything take taking all my ever way from "
    "overdose od hurt kill cut harm do"
)
# A negation word that does not negate what follows ("not okay", "no one", "not gonna lie").
_NOT_NEGATING = re.compile(
    r"\b(?:not|no|dont|never) (?:sure|know|okay|ok|fine|good|alright|lie|lying|kidding|joking|"
    r"one|point|reason|hope|way(?! (?:i|id|im|ill|in hell))|matter|safe|well|doing well|better|"
    r"coping|cap|joke|more|longer"
    r"(?= want)|think i can|feel like i can|care|understand|see)\b"
)
_SUFFIX_DENIAL = re.compile(
    r"^ (?:(?:thoughts|urges|ideation|or \w+|and \w+|today|currently|at this time|at the moment|"
    r"right now|this week|since (?:the )?last(?: check in)?|are|is|have been|has been|were|was|"
    r"s)\s?){0,4}(?:no|none|nope|nah|denied|denies|negative|zero|0|not present|not today|not "
    r"even close|not "
    r"really|not at all|not anymore|n a|absent)\b"
    r"(?! (?:joke|lie|cap|really|seriously|one|point|reason|way|hope|future|idea|clue|matter|"
    r"more|longer))"
    r"|^ (?:are|is|have been|has been|were) "
    r"(?:gone|resolved|under control|managed|much better)\b|^ (?:\w+ ){0,2}(?:hasnt|havent|"
    r"hadnt|doesnt|didnt|isnt|wasnt|has not|have not) (?:crossed|been|come up|entered|"
    r"occurred|happened)\b|^ (?:isnt|is not|is no longer|arent|are not|are no longer|was|were) "
    r"(?:\w+ ){0,3}(?:anymore|an option|for me|something i|part of|my normal|behind me)\b"
)
_ANSWER_NO = re.compile(
    r"(?:no|nope|nah|none|never|no never|no not at all|not at all|not really|no way|denied|"
    r"no thoughts)(?: , \w+)?"
)
_PAST = re.compile(
    r"\b(?:used to|use to|years? ago|months? ago|decades? ago|a decade|in active addiction|in "
    r"my addiction|while (?:i was )?using|during my (?:addiction|using|drinking)|[0-9]+ (?:years?|"
    r"yrs|months?) (?:ago|back|"
    r"since)|since my (?:attempt|overdose|last attempt)|back (?:then|when|in (?:the day|[0-9]+|"
    r"high school|college|my))|in (?:the past|my past|20[0-9][0-9]|19[0-9][0-9]|high school|"
    r"college|my (?:teens|twenties|20s|active addiction|addiction|using days|drinking days|old "
    r"life))|when i was (?:using|drinking|younger|a (?:kid|teen|teenager)|in (?:active|my|high "
    r"school|college|the depths)|[0-9]+|at my (?:lowest|worst)|still (?:using|drinking)|"
    r"first|deep in|new|sick)|at my (?:lowest|worst)|before (?:i got|getting|recovery|treatment|"
    r"rehab|sobriety|i came|i started|i found|this program|the program|i got sober|i got clean)|"
    r"(?:the )?old me|there (?:was|were) (?:a time|times|days|nights|moments|years|periods)|"
    r"last (?:year|spring|summer|fall|winter|christmas)|a few years|for years i|i once|"
    r"my (?:first|last|old|previous) attempts?|survived|that was (?:then|years)|those days|"
    r"early recovery|first got (?:sober|clean)|a long time ago|long ago|way back|in detox|"
    r"in rehab|in the hospital|hospitalized|my attempt|(?:an|my) attempt|when i first|at [0-9]+|"
    r"(?:my )?old self|would have|wouldve|(?<!at )once|a stretch|went through|first year|"
    r"i remember "
    r"(?:when|being|thinking|googling|sitting|wanting|feeling|writing|the night)|back in|as a "
    r"(?:teen|teenager|kid)|when i (?:started|came in|first came|got) here|past me|that "
    r"version of me|(?:a|another) (?:different|past|former) (?:life|lifetime))\b"
)
_RECENT = re.compile(
    r"\b(?:now|right now|today|tonight|again|lately|these days|this (?:week|weekend|morning|"
    r"time|month)|currently|recently|starting|coming back|came back|creeping|last night|"
    r"yesterday|earlier|the other day|an hour ago|this afternoon|all day|rn)\b"
)
_RECOVERED = re.compile(
    r"\b(?:havent (?:\w+ ){0,2}(?:cut|hurt myself|self harmed|harmed|had (?:those|suicidal|si|"
    r"sh|that)|wanted to die|thought (?:about|of) (?:it|that|suicide)|thought it|felt that)|not "
    r"since|no longer|dont anymore|not anymore|not where im at|clean from|free from|free of|"
    r"[0-9]+ (?:days?|weeks?|months?|years?|yrs) (?:\w+ )?(?:free|clean|sober|without|since|"
    r"no)|(?:sh|si|self harm|cutting|suicide|attempt) free|grateful|thankful|glad (?:i|im)|"
    r"(?:grateful|glad|happy|thankful|and) (?:\w+ ){0,3}still "
    r"here|im alive|(?<!not )proud|made it|got help|(?<!if )im safe|life got better|got better|"
    r"years sober|new me|helped me|it was gone|kinder to myself|different person|out of it|"
    r"in months|in years|doing (?:so much )?better|im a (?:dad|mom)|im [0-9]+ now|quieter|"
    r"behind me|im past|got past|changed that|helped|rebuilding|sticking|(?:came|come|made it) "
    r"out (?:on )?the other side|now im at [0-9]+|found this program|it gets better|peer "
    r"specialist|came back anyway|quit (?:the|hurting|cutting|burning)|now i (?:drive|take|walk|"
    r"coach|sponsor|help|carry|run|work))\b"
)
_PAST_VERB = re.compile(
    r"\b(?:wanted|tried|attempted|was|were|had|overdosed|oded|cut|cutting|hurt|thought|felt|"
    r"used|did|took|wrote|gave|planned|survived|would|couldnt|kept)\b"
)
_EDU = re.compile(
    r"\b(?:whats \w+ (?:mean|stand for)|psychoed\w*|psycho ed|(?:the|that) term|(?:passive|"
    r"active) (?:si|ideation) is|warning signs?|signs of|risk factors?|statistics|stats|rates?|"
    r"prevention|awareness|"
    r"hotline|lifeline|988|crisis line|crisis text|training|qpr|first aid|psychoeducation|"
    r"handout|worksheet|article|study|studies|research|according to|news|reported|headline|"
    r"documentary|podcast|episode|movie|film|tv show|series|character|book|novel|author|"
    r"chapter|song|lyrics?|album|rapper|singer|band|poem|poet|quote|quoted|essay|paper|"
    r"lecture|professor|assignment|presentation|definition|what does|what do|how do (?:you|"
    r"i|we) (?:help|support|talk|ask|know|tell)|how to (?:help|support|talk|ask|tell|respond)|if "
    r"someone|when someone|(?:someone|people|those|a person|clients|anyone) who (?:are|is|feel|"
    r"feels|have|has|attempt\w*|die|struggle\w*|self|think|want|survive\w*)|ask "
    r"directly|asking about|talk about suicide|talking about suicide|does asking|myth|myths|"
    r"facts?|screening|screener|assessment|c ssrs|columbia|intake|questionnaire|phq|"
    r"the question|asked (?:me )?if|asks? if|asked whether|video|narcan (?:training|class|kits?|"
    r"video|demo)|naloxone|means "
    r"restriction|safety planning|difference between|is it normal|common in|"
    r"learned|taught|teaches|we talked|we discussed|discussion|group topic|topic|"
    r"counselor said|therapist said|speaker|share about|recovery position|fentanyl test "
    r"strips?|test strips?|harm reduction|clinical|clinician|patients?|term|terms|"
    r"glossary|abbreviation|stands for|meaning)\b"
)
_AFFIRMED = re.compile(
    r"\b(?:i said yes|honestly yes|and yes|i told (?:her|him|them) (?:the truth|yes)|said yes|"
    r"i do|i am|i have been|lately i|right now i|and i do)\b"
)
_OTHER_SUBJECT = _words(
    "he she they hes shes theyre theyve theyd him her them you youre u someone somebody "
    "anyone people person friend friends brother sister mom mum dad mother father son "
    "daughter cousin uncle aunt wife husband boyfriend girlfriend partner roommate sponsor "
    "sponsee buddy kid kids child guy girl man woman patient patients client clients member "
    "members neighbor coworker classmate teen teens grandma grandpa nephew niece fiance ex "
    "folks teenagers veteran veterans celebrity bro sis homie homeboy dude his hers their "
    "your whoever everyone somebodys others parents parent family relative"
)
_FIRST_PERSON = _words("i im ive id ill me myself")
_LAUGH = re.compile(r"\b(?:lol|just kidding|j k|jokes?|joking|kidding|lolz|xd)\b")
_SERIOUS = re.compile(
    r"\b(?:for real|not joking|no joke|im serious|seriously|not kidding|i mean it|like "
    r"actually|not even joking|honestly|(?:wasnt|isnt|not|aint) (?:a |)(?:joke|joking|kidding)|"
    r"i meant it|when you mean it|not really kidding)\b"
)
_TRIVIAL = re.compile(
    r"\b(?:rough day|long day|this week|this day|work week|semester|homework|exam|exams|test|"
    r"finals|midterms?|class|traffic|meeting|boss|monday|"
    r"mondays|zoom|commute|line at|dmv|taxes|hangover|cringe|embarrass\w*|awkward|song|"
    r"dentist|customer service|spreadsheet|excel|laundry|dishes|math|chemistry|paperwork|"
    r"printer|wifi|heat|weather|allergies|pollen|cramps|hiccups|refs|game|fans|lakers|"
    r"cowboys|team|coffee|caffeine|sugar|netflix|show|episode|meme|tiktok|video|joke|"
    r"group chat|texted|crush|outfit|hair|shoes|feet|kids are|"
    r"toddler|teething|deadline|overtime|stairs|gym|leg day|workout|cardio|miles|hike|"
    r"powerpoint|slides|wordle|crossword|puzzle|lunch|gps|battery|phone at|cold plunge|ice bath|"
    r"sauna|spin class|hot yoga|hot sauce|ghost pepper|hot wings|roller ?coaster|haunted house|"
    r"horror movie|scary movie|one more (?:time|"
    r"email|meeting|text|call|song|episode|zoom|question|meme|ad|commercial)|if i have to "
    r"(?:hear|listen|sit through|watch|read|see))\b"
)
_GAMING = re.compile(
    r"\b(?:game|gaming|gamer|fortnite|minecraft|valorant|cod|warzone|apex|elden ring|dark "
    r"souls|boss fight|boss|level|respawn\w*|raid|pvp|controller|xbox|ps5|playstation|steam|"
    r"lobby|noob|teammates?|squad|grenade|npc|speedrun|hp|health bar|sims|permadeath|"
    r"roblox|league|overwatch|zelda|mario|pokemon|nuzlocke|hardcore mode|campaign|"
    r"checkpoint|save file|my character|the character|grenades|halo|fall damage|spawn "
    r"camp\w*)\b"
)
# Rules whose words also say ordinary things in a game ("kill myself with my own grenade").
_GAME_PRONE = frozenset(
    {
        "kill_myself",
        "kms",
        "want_to_die",
        "jump",
        "shoot",
        "off_myself",
        "when_im_gone",
        "on_purpose",
    }
)


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = text.rfind(CLAUSE, 0, start)
    right = text.find(CLAUSE, end)
    return left + 1, len(text) if right < 0 else right


def negated(text: str, start: int, end: int) -> bool:
    """A denial just before the match ("im not going to kill myself", "no si") or right
    after it ("si: no", "self harm thoughts none")."""
    left, right = clause_bounds(text, start, end)
    prefix = text[left:start]
    comma = prefix.rfind(",")
    prefix = prefix[comma + 1 :] if comma >= 0 else prefix
    words = prefix.split()[-8:]
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        if word in _NEG_CUES:
            return not _NOT_NEGATING.match(" ".join(words[index:]))
        if word not in _FILLER:
            break
    suffix = text[end:right]
    comma = suffix.find(",")
    if _SUFFIX_DENIAL.match(suffix if comma < 0 else suffix[:comma]):
        return True
    following = text[right:].lstrip(" |").split(CLAUSE)[0].strip()
    return bool(_ANSWER_NO.fullmatch(following))


def other_subject(text: str, start: int, end: int) -> bool:
    """The sentence's subject before the match is someone else ("my brother is suicidal",
    "if you feel suicidal")."""
    left, _ = clause_bounds(text, start, end)
    words = text[left:start].replace(",", " ").split()
    for word in reversed(words):
        if word in _FIRST_PERSON:
            return False
        if word in _OTHER_SUBJECT:
            return True
    return False


_RECOVERY_FRAME = re.compile(
    r"\b(?:(?:[0-9]+|one|two|three|four|five|six|seven|eight|nine|ten) (?:days?|weeks?|months?|"
    r"years?|yrs) (?:\w+ )?(?:sober|clean|later|now|since|in recovery|free)|in recovery|"
    r"sober|clean|grateful|thankful|survived|since then|these days|today i|now i|now im|"
    r"glad|(?<!not )proud|better now|got help|got better|turned (?:it|my life) around|made it|"
    r"on the other side|still here|alive today|for my (?:kids|family)|life is good|hope"
    r"|looking back|back then|that was|no longer|not anymore|healing|healed|rehab|"
    r"treatment|therapy|dbt|this program|sponsor)\b"
)
_PRESENT_CRISIS = re.compile(
    r"\b(?:now i want|again|tonight|right now|rn|lately|these days i (?:want|think)|today i "
    r"(?:want|feel like)|this week|last night|cant stop|keep thinking|still want|want to|"
    r"going to|gonna|im going|i want|i need|scared|help|what to do|just (?:took|did|cut|"
    r"swallowed|used|drank))\b"
)
_PAST_CLAUSE = re.compile(
    r"\b(?:was|were|wanted|tried|attempted|had|overdosed|oded|used to|thought|felt|did|took|"
    r"wrote|kept|spent|went|got|nearly|almost|once|ago|back|before|when i "
    r"was|after my|since my)\b"
)


def recovery_story(text: str, start: int, end: int) -> bool:
    """A clause told in the past inside a message framed as recovery ("i tried to hang
    myself at 19. i'm 34 now and a dad")."""
    left, right = clause_bounds(text, start, end)
    clause = text[left:right]
    if _PRESENT_CRISIS.search(clause):
        return False
    return bool(_PAST_CLAUSE.search(clause) and _RECOVERY_FRAME.search(text))


def past_recovery(text: str, start: int, end: int) -> bool:
    """Told as a past the writer has come through ("i used to cut", "four years ago i
    wanted to die. now i want to serve")."""
    left, right = clause_bounds(text, start, end)
    clause = text[left:right]
    recent = bool(_RECENT.search(clause))
    if _PAST.search(clause) or _RECOVERED.search(clause):
        return not recent or bool(_RECOVERED.search(text))
    match = text[start:end]
    if _PAST_VERB.search(match) and _RECOVERED.search(text) and not recent:
        return True
    return recovery_story(text, start, end)


def education(text: str, start: int, end: int, first_person: bool) -> bool:
    """Teaching, news, a song or a screening question: the clause carries the frame, or the
    message does and the match is not said in the first person."""
    left, right = clause_bounds(text, start, end)
    clause = text[left:right]
    if _EDU.search(clause):
        return not _AFFIRMED.search(text[end:right])
    return bool(not first_person and _EDU.search(text) and not _AFFIRMED.search(text))


def hyperbole(text: str, start: int, end: int) -> bool:
    """A joke or an everyday complaint ("this exam makes me want to die lol")."""
    if _SERIOUS.search(text):
        return False
    left, right = clause_bounds(text, start, end)
    return bool(_TRIVIAL.search(text[left:right]))


def gaming(text: str, start: int, end: int, rule_id: str) -> bool:
    left, right = clause_bounds(text, start, end)
    return rule_id in _GAME_PRONE and bool(_GAMING.search(text[left:right]))


def first_person(match_text: str) -> bool:
    return any(word in _FIRST_PERSON or word == "my" for word in match_text.split())


_MODEL_SILENCERS = re.compile(
    r"\b(?:not|never|wont|wouldnt|dont|didnt|no|nothing|none|without) (?:\w+ ){0,3}(?:kill|"
    r"die|dying|dead|hurt|harm|suicid\w*|end|od|overdose|cut|cutting|use|using|drink|do it|"
    r"do that|do anything|act on|thoughts|plan|plans|intent|si|sh|going anywhere|safe)\b|"
    r"\b(?:blanket|all day|for a while|for a bit|nap|doctor|prescribed|pharmacy|refill|side "
    r"effects?|sleepy|drowsy|last thing i want|to live for|not planning|isnt an option|"
    r"not an option|promise|"
    r"denies|denied|im safe|i am safe|i promise|im okay|im ok|im fine|doing (?:ok|okay|"
    r"fine|better|good)|want to (?:live|stay|get better|be here|recover|keep going|stay sober|"
    r"stay clean)|proud|grateful|for my kids|crash (?:at|on|with)|never again|cant wait|"
    r"looking forward|excited|pictures|photos|sunset|pick up the "
    r"phone)\b"
)


_MOVING_ON = re.compile(
    r"\b(?:graduat\w*|discharg\w*|complet(?:e|ed|ing) (?:the|my|this) program|finish(?:ed|ing)? "
    r"(?:the|my|this) program|last (?:week|day|session|group|meeting) (?:in|of|at|with)|"
    r"moving (?:to|away|out|across)|new job|vacation|step(?:ping)? down|done with (?:drinking|"
    r"using|drugs|alcohol|the bottle)|see (?:you|yall|ya) (?:all )?(?:next|tomorrow|soon|"
    r"later|on|at|in))\b"
)


def moving_on(text: str) -> bool:
    """Leaving the program, moving, a vacation: goodbyes that are not a plan."""
    return bool(_MOVING_ON.search(text))


def model_may_speak(text: str) -> bool:
    """The learned part only fills gaps in first-person, present, plain messages: any
    denial, past, teaching frame or other subject in the message silences it."""
    if _MODEL_SILENCERS.search(text) or _PAST.search(text) or _EDU.search(text):
        return False
    if moving_on(text):
        return False
    if _RECOVERY_FRAME.search(text) and _PAST_CLAUSE.search(text):
        return False
    words = text.replace(CLAUSE, " ").replace(",", " ").split()[:4]
    return not any(word in _OTHER_SUBJECT for word in words)


_EXPLICIT_DENIAL = re.compile(
    r"\b(?:not|never|no longer|far from) (?:\w+ ){0,2}(?:suicidal|going to (?:kill|hurt|harm)|"
    r"thinking (?:about|of) (?:suicide|killing|ending|hurting))|\bno (?:si|sh|"
    r"thoughts of|suicidal|plans? to|intent)\b|\b(?:dont|do not) (?:\w+ ){0,2}want to die\b|"
    r"(?<!if )\bim safe\b|\bdenies si\b|\bnot going to act on\b|\b(?:wont|will not|would "
    r"never|wouldnt|never (?:will|would)|dont want to) (?:\w+ ){0,2}(?:hurt|harm|kill) "
    r"(?:myself|me)\b|\b(?:would never|wont ever|never) (?:od|overdose) on purpose\b"
)


def explicit_denial(text: str) -> bool:
    """The writer says plainly they are not suicidal / safe: vague distress elsewhere in
    the message ("just tired of everything") is then not an alert; urgent language is."""
    return bool(_EXPLICIT_DENIAL.search(text))


# Where what follows a denial starts: the next clause, or "just" / "only" ("not suicidal,
# just wish i could stop existing"; "i dont want to die i just want it all to stop").
_AFTER_DENIAL = re.compile(r"\||,|\b(?:just|only|honestly|tbh|actually)\b")


def after_denial(text: str) -> str:
    """What the message says after its last explicit denial, from the next clause or
    "just" on ("" when nothing follows): a denial speaks for its own clause, and a writer
    who takes it back ("not suicidal | just wish i didnt exist") is read on the rest."""
    denials = list(_EXPLICIT_DENIAL.finditer(text))
    if not denials:
        return ""
    last = denials[-1]
    rest = text[last.end() :]
    turn = _AFTER_DENIAL.search(rest)
    return rest[turn.start() :].strip(" |,") if turn else ""


# Asking how to help someone else ("my sis is cutting again what do i do").
_HELPER = re.compile(
    r"\b(?:what (?:do|should|can) i (?:do|say)|(?:idk|dont know|not sure) (?:what to do|how to "
    r"help)|how (?:do|can) i (?:help|ask|tell|talk to|get (?:him|her|them))|im (?:scared|worried|"
    r"afraid) (?:for (?:him|her|them)|he|she|they|hes|shes|theyre|theyll|hell|shell)|cant tell "
    r"if (?:he|she|they|hes|shes|theyre)|worried about (?:him|her|them|my \w+))\b"
)
_SELF = _words("i im ive id ill me myself")


def about_someone_else(text: str) -> bool:
    """The message opens with someone else as its subject and asks how to help them: the
    learned part may not fire on it alone (rules still read each clause)."""
    words = text.replace(CLAUSE, " ").replace(",", " ").split()
    opening = words[:4]
    if not any(w in _OTHER_SUBJECT for w in opening) or any(w in _SELF for w in opening):
        return False
    return bool(_HELPER.search(text))
