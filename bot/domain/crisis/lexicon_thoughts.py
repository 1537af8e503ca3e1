"""Rules for thoughts: wish to be dead (passive), active thoughts, intent.

Patterns run on :func:`bot.domain.crisis.normalize.normalize` output: lower-case words,
no apostrophes ("dont", "im"), chat spellings already expanded ("wanna" = "want to").
``W`` is "up to N words"; none of them crosses a clause mark or a comma.
"""

from __future__ import annotations

from bot.domain.crisis.rules import Rule, rule


def W(n: int) -> str:
    return rf"(?:[a-z0-9]+ ){{0,{n}}}"


SELF = r"(?:my ?self|my own self|meself)"
I_ = r"(?:i|im|i am|ive|id|ill|i will|i would|i have|i really|i just|i kinda)"
MODAL = (
    r"(?:want(?:ed|ing|s)? to|wish(?:ed)? (?:i could|to)|need(?:ed)? to|going to|about to|"
    r"ready to|trying to|tried to|try to|have to|plan(?:ning)? (?:on|to)|thinking (?:about|of)|"
    r"thought (?:about|of)|considering|consider|might|could|should|will|would|ill|gotta|"
    r"got to|just|feel like|felt like|deserve to|urge to|tempted to|decided to|time to|"
    r"keep thinking about|cant stop thinking about)"
)
END_IT = r"end(?:ing|ed)? it(?: all)?"
NOT_FOLLOWED_BY_CHORE = (
    r"(?! (?:with|between|early|there|here|off|on|for (?:the|today|tonight|now)|"
    r"today with|by|at)\b)"
)

ACTIVE: tuple[Rule, ...] = (
    rule("kill_myself", "active_ideation", rf"\bkill(?:ing|in|s)? {SELF}\b", "H"),
    rule(
        "kms",
        "active_ideation",
        r"(?<![0-9] )\bkms\b(?! (?:away|from|per|an hour|a day|run|ride|walk|drive|long|north|"
        r"south|east|west|today|this week|on the))",
        "SH",
    ),
    rule(
        "want_to_die",
        "active_ideation",
        rf"\b{MODAL} (?:just |fucking |really |honestly |literally |simply |to )?"
        r"(?:die|be dead|not be alive|not exist|stop existing|not be here anymore)\b",
        "SH",
    ),
    rule(
        "end_my_life",
        "active_ideation",
        rf"\b(?:end(?:ing|ed|s)?|take|taking|took) (?:my (?:own )?life|{SELF}|my existence)\b"
        r"(?! back)",
    ),
    rule(
        "end_it",
        "active_ideation",
        rf"\b{MODAL} (?:just |finally |really |fucking )?{END_IT}\b{NOT_FOLLOWED_BY_CHORE}",
        "S",
    ),
    rule("end_it_all", "active_ideation", r"\bend(?:ing)? (?:it all|everything|all of it)\b"),
    rule(
        "suicidal",
        "active_ideation",
        r"\bsuicidal\b(?! (?:people|person|persons|patients?|clients?|friends?|teens?|youth|"
        r"folks|individuals|someone|man|woman|kids?|callers?|crisis|behaviou?rs? in|members?))",
        "S",
    ),
    rule(
        "suicide_thoughts",
        "active_ideation",
        r"\b(?:think\w*|thought|thoughts|considering|consider|contemplat\w*|planning|plan|"
        r"ideation|attempt|commit|committing|obsess\w*|fantasi\w*|dream\w* about|want|wanting)"
        rf" (?:of |about |on |to )?{W(2)}suicide\b|\bsuicide (?:is|seems|feels|sounds|looks) "
        r"(?:like |the |my |an? |more |really |so |pretty |better)|\bsuicide (?:is |has been |"
        r"keeps )?(?:crossed|crossing|on|in) my "
        r"(?:mind|head)|\bsuicid\w* (?:thoughts?|ideation|urges?|feelings?)\b",
        "S",
    ),
    rule(
        "unalive",
        "active_ideation",
        # not with someone or something else as the object ("unalive my phone"), but "this
        # weekend" is a time, not an object
        r"\bunaliv\w*\b(?! (?:him|her|them|someone|somebody|people|the|that|it|a|an|some|these|"
        r"those|your|his|their|my (?!self\b|body\b|life\b)\w+|this(?! (?:weekend|week|time|"
        r"year|month|morning|evening|afternoon|friday|saturday|sunday|monday))))",
        "S",
    ),
    rule("ctb", "active_ideation", r"\bctb\b", "S"),
    rule(
        "off_myself",
        "active_ideation",
        rf"\b(?:off|offing|top|topping|neck|necking|delete|deleting|end|ending|yeet|yeeting|"
        rf"unalive|erase|remove|eliminate) {SELF}\b|\bdo(?:ing)? {SELF} in\b",
    ),
    rule("self_delete", "active_ideation", r"\bself delet\w*\b"),
    rule("sewer_slide", "active_ideation", r"\bsewer slid\w*\b|\bcommit (?:sudoku|die)\b"),
    rule(
        "si_abbrev",
        "active_ideation",
        r"\b(?:my|having|have|had|passive|active|the|some|bad|heavy|strong|getting|been|with|"
        r"more|increased|intense|constant|lots of|lot of|and|both) si\b|\bsi (?:is|has|was|again|"
        r"today|"
        r"thoughts|urges|bad|back|right now|tonight|creeping|hitting|getting|pretty|really|"
        r"kicking|loud|high|heavy|spiking|worse)\b",
        "S",
    ),
    rule(
        "rope_slang",
        "active_ideation",
        rf"\b(?:rope|roping) (?:{SELF}|tonight|soon|today)\b|\b(?:thinking|thought) (?:about|of) "
        r"roping\b|\b(?:take|taking|took) the (?:easy way out|cowards way out|coward way out)\b",
    ),
    rule(
        "long_nap",
        "active_ideation",
        r"\b(?:permanent|eternal|endless|forever|long|dirt|final) (?:nap|sleep|rest)\b|"
        r"\bdirtnap\b|\bsleep forever\b|\bgo to sleep and (?:never|not) (?:wake|come back)",
        "S",
    ),
    rule(
        "log_off_life",
        "active_ideation",
        r"\b(?:log|logging|check|checking|clock|clocking|tap|tapping|bow|bowing) out "
        r"(?:permanently|for good|of life|forever|of this world)\b|\b(?:alt f4|uninstall\w*|"
        r"rage quit\w*|quit|quitting|log off|exit|exiting|delete|deleting) (?:my |from |of )?"
        r"(?:life|irl|existence|the game of life|real life|this world)\b(?! (?:sucks|is))",
    ),
    rule(
        "in_the_ground",
        "active_ideation",
        r"\b(?:want|wanna|ready|belong|wish i (?:was|were)|should be|need to be) (?:to be )?"
        r"(?:in (?:the|a|my) )?(?:ground|grave|coffin|dirt|six feet under)\b",
    ),
    rule(
        "thoughts_of_killing",
        "active_ideation",
        r"\b(?:thoughts?|urges?|ideas?) (?:of|about) (?:killing|ending|hurting|harming) "
        r"(?:myself|my life|it)\b",
    ),
)

PASSIVE: tuple[Rule, ...] = (
    rule(
        "dont_want_to_live",
        "passive_ideation",
        r"\b(?:dont|do not|didnt|no longer|never|dont even|dont really|dont think i|not sure i) "
        r"(?:really |even )?(?:want|wish|wanna|care) to (?:live|be alive|exist|keep living|"
        r"wake up|go on|be on this earth|be around|keep going|keep existing|stay alive|breathe|"
        r"see tomorrow|be here anymore|be here on|be here no more|be here in this world|be here)"
        r"\b(?! (?:at|in (?:this|the|that) (?:meeting|group|class|room|job|house|program|place)|"
        r"for (?:this|the)|with (?:him|her|them|my)))",
    ),
    rule(
        "wish_dead",
        "passive_ideation",
        r"\bwish(?:ed|ing)? (?:that )?(?:i|id|im) (?:was|were|wasnt|werent|could|had|didnt|"
        r"would|never|had never|just|would just|could just|wouldnt) (?:\w+ ){0,2}"
        r"(?:dead|die|born|exist|alive|gone|disappear|vanish|cease|stop existing|not be|"
        r"not wake|fall asleep forever|sleep forever|drop dead|go away|never wake)\w*",
    ),
    rule(
        "better_off",
        "passive_ideation",
        r"\bbetter off (?:dead|without me|if i (?:was|were|wasnt|werent|died|didnt|never|"
        r"disappeared|left|wasnt around|was gone)|gone|not here|not existing)\b|\b(?:everyone|"
        r"everybody|world|they|family|kids|people|would|be) (?:would be|will be|d be|is|are|be)? ?"
        r"(?:better|happier|easier) (?:off )?(?:without me|if i (?:was|were|wasnt|werent|died|"
        r"disappeared|left|wasnt around|was gone|wasnt here|didnt exist|was dead))\b",
    ),
    rule(
        "burden",
        "passive_ideation",
        r"\b(?:im|i am|feel like|feel|felt|just|such|only|nothing but|been|being|always|a) "
        r"(?:a |such a |nothing but a |just a |only a |the |an? (?:huge|big|total) )?burden\b|"
        r"\bburden (?:to|on|for) (?:everyone|everybody|my|them|you all|yall|the people|all|"
        r"people|others)\b",
    ),
    rule(
        "no_point",
        "passive_ideation",
        r"\b(?:no|see the|see any|whats the|what is the|theres no|there is no|lost all|any|"
        r"without a|dont see a|cant see a|cant find a|cant find any|whats even the|"
        r"what even is the|"
        r"what is even the|has no|is there any|there isnt any|there isnt a) (?:point|reason|"
        r"purpose) (?:even )?"
        r"(?:in |of |to |for )?(?:living|being alive|life|going on|keep going|keeping going|"
        r"trying anymore|anymore|being here|existing|live|me being here|staying alive|waking up|"
        r"any of (?:this|it)|it all|me|my life|continuing|carrying on|getting up|staying|"
        r"fighting|even trying|trying)\b|\bwhats the point(?: anymore| of (?:it all|anything|"
        r"any of it|me|trying|living))?(?= *(?:\||,|$))",
    ),
    rule(
        "not_worth_living",
        "passive_ideation",
        r"\b(?:life|living|it|this|my life|existing|being alive|life anymore) (?:isnt|is not|aint|"
        r"not|no longer|never|doesnt feel|dont feel|just isnt|really isnt) (?:\w+ )?worth "
        r"(?:living|it anymore|it|going on|the pain|the effort|fighting for|continuing)\b|"
        r"\bnot worth (?:living|being alive|saving|the air|keeping alive)\b|\b(?:no|lost (?:the|my|"
        r"all)|losing (?:the|my)|dont have the|dont have any) (?:will|desire|reason|want|wish|"
        r"drive) to (?:live|keep going|go on|keep living)\b|\bnothing (?:left )?to live for\b",
    ),
    rule(
        "tired_of_living",
        "passive_ideation",
        r"\b(?:tired|sick|exhausted|done) (?:of|with) (?:living|being alive|existing|life|"
        r"waking up|fighting|being here|it all|everything|breathing|this life|my life|"
        r"being me|surviving)\b(?! (?:of|in|at))",
    ),
    rule(
        "cant_go_on",
        "passive_ideation",
        r"\bcant (?:do this|go on|keep going|keep doing this|take it|take this|handle this|"
        r"handle it|live like this|keep living|keep fighting|do it|cope|bear it|hold on) "
        r"(?:anymore|any longer|no more|much longer)\b|\bcant (?:go on|keep living|keep going|"
        r"live like this|hold on)\b(?! (?:with|to|at|for))",
    ),
    rule(
        "give_up",
        "passive_ideation",
        r"\b(?:giv\w*|gave) up on (?:life|living|myself|everything|me|it all|staying alive)\b|"
        r"\b(?:ready|want|wanna|going) to (?:give up|quit|stop fighting|let go) (?:on )?(?:life|"
        r"living|everything|for good|completely|forever)?(?= *(?:\||,|$)|\b(?:life|living|"
        r"everything|for good|forever))",
    ),
    rule(
        "hopeless",
        "passive_ideation",
        r"\b(?:feel|feeling|felt|im|i am|so|completely|totally|just|utterly|hopeless and|"
        r"everything is|everything feels|life is|life feels|"
        r"its all) hopeless\b(?! about (?:finding|getting|the|my|this|that|work|job|money|school))|"
        r"\bno (?:hope|"
        r"future|way out|light at the end|reason to keep)\b(?! (?:for (?:the|this|that)|in "
        r"(?:the|this|that)))|\b(?:dont|cant) see (?:a|any) (?:future|way out|way forward|"
        r"light)\b",
        "S",
    ),
    rule(
        "why_alive",
        "passive_ideation",
        r"\bwhy (?:am i|do i|should i|would i|cant i just) (?:still |even )?(?:alive|here|even "
        r"here|keep going|bother|exist|wake up|keep living|try|keep trying|keep waking up)\b|"
        r"\bwhy bother (?:living|anymore|waking up|trying|with life)\b",
    ),
    rule(
        "nobody_miss",
        "passive_ideation",
        r"\b(?:no one|nobody|noone|not one person|no body|who) (?:would|will|d|is going to|"
        r"gonna|even|really) (?:even |really |actually )?(?:miss|notice|care|cry)\b(?! (?:about "
        r"(?:the|this|that)))",
    ),
    rule(
        "want_it_over",
        "passive_ideation",
        r"\b(?:want|wanna|need|wish|just want|ready for) (?:it all|everything|all of it|the pain|"
        r"life|my life|it|this|this life|this pain|it all just|the hurt|the noise|the thoughts) "
        r"(?:to )?(?:end|stop|be over|go away forever|stop forever|be done|end for good)\b"
        r"(?! (?:soon|already) (?:lol|this))",
        "H",
    ),
    rule(
        "disappear",
        "passive_ideation",
        r"\b(?:want|wanna|wish i could|i could just|need|going|just want|ready) (?:to )?"
        r"(?:disappear|vanish|not exist|stop existing|cease to exist|fade away|be gone|not be "
        r"here|not be alive|not wake up|never wake up|fall asleep forever|go to sleep forever)\b"
        r"(?! (?:into|under|for (?:a|the) (?:bit|while|weekend|day|week|few|night|hour)|to "
        r"(?:my|the)|from (?:this|the) (?:party|meeting|group|room)|in my (?:bed|room)))",
    ),
    rule(
        "not_wake_up",
        "passive_ideation",
        r"\b(?:hope|hoping|wish|pray|praying|want|rather|fine if|mind if|okay if|ok if|prefer|"
        r"dont care if) (?:that )?(?:i |it )?(?:just )?(?:dont|do not|wouldnt|didnt|never|not to|"
        r"not|wont) (?:\w+ ){0,2}wake(?: up)?\b|\b(?:go to sleep|sleep|fall asleep|close my eyes|"
        r"go to bed|lay down|lie down) (?:and|&) (?:just )?(?:never|not|dont|wont|stay) (?:\w+ )?"
        r"(?:wake|open|get up|asleep)",
    ),
    rule(
        "dont_care_live",
        "passive_ideation",
        r"\bdont (?:really |even )?care (?:if|whether) i (?:live|die|wake up|dont wake up|make it|"
        r"survive|am alive|exist|see tomorrow|get hit)\b|\bdont care what happens to me\b",
    ),
    rule(
        "rather_dead",
        "passive_ideation",
        r"\b(?:id|i would|i d|would) (?:honestly |rather|prefer to) ?(?:rather )?(?:be dead|die|"
        r"not be alive|not exist|not wake up|not be here)\b(?! than)",
        "H",
    ),
    rule(
        "wish_hit",
        "passive_ideation",
        r"\bwish (?:someone|something|a (?:car|bus|truck|train)|god|the universe|lightning|"
        r"cancer|a heart attack) would (?:\w+ )?(?:kill|hit|take|end|run over|shoot) me\b|"
        r"\bhope (?:a (?:car|bus|truck)|something) (?:hits|kills|takes) me\b",
    ),
    rule(
        "when_im_gone",
        "passive_ideation",
        r"\b(?:when|after|once|if|by the time) (?:im|i am|i) (?:gone|not here|no longer here|"
        r"dead|die)\b(?! (?:for|on|to|from|at|shopping|out|away))",
        "C",
    ),
    rule(
        "join_loved_one",
        "passive_ideation",
        r"\b(?:want|wanna|ready|wish i could|just want|cant wait) to (?:be with|join|see) my "
        r"(?:\w+ )?(?:mom|dad|mother|father|brother|sister|son|daughter|grandma|grandpa|"
        r"husband|wife|baby|friend) (?:again|in heaven|up there|on the other side)\b",
    ),
    rule(
        "numb_empty",
        "passive_ideation",
        r"\b(?:im|i am|feel|feeling) (?:so )?(?:worthless|like a waste of (?:space|air|oxygen)|"
        r"like nothing matters)\b(?: (?:and|,))?(?=.*\b(?:gone|end|die|point|anymore|here)\b)",
    ),
)

INTENT: tuple[Rule, ...] = (
    rule(
        "going_to_do_it",
        "intent",
        r"\b(?:im|i am|i|ill|i will) (?:finally |actually |really |definitely |just )?(?:going to|"
        r"about to|ready to|decided to|gonna|will) (?:finally |actually |just )?(?:do it|go "
        r"through with it|end it|end this|do this|follow through)\b",
        "C",
    ),
    rule(
        "tonight_the_night",
        "intent",
        r"\b(?:tonight|today|this weekend|tomorrow|this) (?:is|will be|s) the (?:night|day|"
        r"end|last)\b",
        "C",
    ),
    rule(
        "decided",
        "intent",
        r"\b(?:decided|made (?:up )?my mind|made the decision|my mind is made up|im done "
        r"deciding)\b(?: (?:to|that))? ?(?:to )?(?:end|kill|die|do it|go|check out|leave|"
        r"its time)?",
        "C",
    ),
    rule(
        "doing_it_when",
        "intent",
        r"\b(?:do(?:ing)? it|end(?:ing)? it|go(?:ing)? through with it) (?:before (?:anyone|"
        r"everyone|they|my \w+) (?:wakes?|gets? home|finds)|tonight|today|this "
        r"weekend|tomorrow|soon|for real|this time|after (?:group|work|everyone|they)|when "
        r"(?:everyone|they|my))\b",
        "C",
    ),
    rule(
        "wont_be_here",
        "intent",
        r"\b(?:wont|will not|not going to|might not|probably wont|may not) (?:be (?:here|around|"
        r"alive) (?:much longer|for long|anymore|any more|by (?:morning|tomorrow|monday|then)|"
        r"after (?:tonight|today|this)|to see|next (?:week|time|session|group))|see (?:tomorrow|"
        r"the morning|morning|next week|my birthday|christmas|another|the sun|the new year)|make "
        r"it (?:to|through) (?:tomorrow|the (?:night|weekend|week))|have to (?:worry|deal) "
        r"(?:about|with) me)\b",
    ),
    rule(
        "gone_by",
        "intent",
        r"\b(?:by the time (?:you|anyone|someone) (?:reads?|sees?) this|by (?:tomorrow|morning|"
        r"monday|tonight|next week)) (?:ill|i will|im|i am|i|i ll) (?:be )?(?:gone|dead|not here|"
        r"at peace|done)\b|\b(?:ill|i will) be gone (?:soon|by|tonight|tomorrow|forever|for good)"
        r"\b",
    ),
)
