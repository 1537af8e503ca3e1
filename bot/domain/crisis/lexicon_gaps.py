"""Rules for the categories the other lexicon files catch least on unseen writers
(docs/SAFETY.md): questions about lethality, preparatory acts told in ordinary words,
passive wishes said sideways. Same conventions as ``lexicon_thoughts``; each pattern
reads normalized text (no apostrophes, lower case, ``|`` between clauses)."""

from __future__ import annotations

from bot.domain.crisis.rules import Rule, rule

W = r"(?:[a-z0-9]+ ){0,3}"  # up to three words
PETS = r"(?:dogs?|cats?|pets?|fish|bird|kids|boys|girls|son|daughter|animals?|pup|puppy|kitten)"
ANIMALS = r"(?:dogs?|cats?|pets?|fish|birds?|animals?|pup|puppy|kitten|horses?)"
KIN = (
    r"(?:kids?|son|sons|daughters?|boys|girls|wife|husband|mom|mother|dad|father|sister|"
    r"brother|family|parents|nephew|niece|grandma|grandpa|ex|partner|girlfriend|boyfriend)"
)

GAPS: tuple[Rule, ...] = (
    rule(
        # "what's the least painful way to go", "is that lethal", "how long under water"
        "lethality_question",
        "method",
        r"\b(?:least painful|painless|quickest|fastest|surest|easiest|cleanest|most reliable) "
        r"(?:way|method|means) (?:to (?:go|die|do it|end it|check out|not wake up)|out)\b|"
        r"\b(?:is|would) (?:that|it|this|they) (?:be )?(?:lethal|fatal|deadly|enough to kill)\b|"
        r"\bhow (?:long|cold|deep|high|far|strong|tall) (?:\w+ ){0,6}(?:to (?:be quick|die|kill|"
        r"work|be fatal|hold (?:someone|a person|a body|my weight|me))|under(?: water)?|until "
        r"(?:you|i) (?:die|pass out|stop))\b|"
        r"\bdoes (?:a |an |the )?(?:shotgun|gun|pistol|rope|noose|bridge|jump|fall|hanging|"
        r"drowning|overdose|od|that|it) (?:\w+ ){0,4}(?:always work|hurt|feel peaceful|kill you|"
        r"work every time)\b|\bis it (?:painful|quick|fast|peaceful) to (?:hang|drown|jump|die|"
        r"bleed out|od|overdose)\b|"
        r"\b(?:dose|amount) (?:of \w+ )?(?:that|to|which) (?:stops|stop|would stop) (?:your|the|"
        r"a) "
        r"heart\b|\b(?:make|look|looks) (?:it|an overdose|an od|my death|the od) (?:look )?"
        r"(?:like an )?accident(?:al)?\b|\b(?:narcan|naloxone) (?:\w+ ){0,2}(?:doesnt|dont|"
        r"wont|cant|does not|will not) (?:bring|work on|save) (?:me|you|someone)\b|\bwithout "
        r"(?:a |any )?waiting period\b|\bdoesnt (?:check on|bother) (?:you|guests)\b",
        "S",
    ),
    rule(
        "lethal_dose_question",
        "overdose_intent",
        r"\bhow (?:many|much) (?:\w+ ){1,4}(?:is|are|would be|counts as|makes) (?:an? )?"
        r"(?:overdose|od|lethal|fatal|too many|too much|deadly)\b|\bhow many \w+ (?:plus|and|"
        r"with) "
        r"how many\b|\b(?:all|a whole|whole|the whole) (?:\w+ ){0,2}(?:at once|in one go)"
        r"(?:\W+(?:\w+ ){0,8}(?:lethal|fatal|kill|die))\b|\btaste bad or (?:if )?(?:you|i) can "
        r"just drink\b",
        "S",
    ),
    rule(
        "wont_be_around",
        "plan_preparation",
        r"\b(?:wont|will not|not going to|never going to|wont ever|not gonna) (?:\w+ )?be "
        r"(?:there|around|here) (?:for (?:it|his|her|their|the|my)|to see|when|"
        r"after)\b|\bif im not going to be around\b|\bwont (?:be )?(?:a "
        r"burden|in the way) for (?:anyone|anybody|you|them) (?:much )?(?:longer|soon|after)\b|"
        r"\bwont get the chance\b|\bwont (?:need|be needing) (?:my|this|these|them|it) "
        r"(?:anymore|after)\b",
        "S",
    ),
    rule(
        "goodbye_letters",
        "plan_preparation",
        r"\bgoodbye (?:letters?|notes?|videos?|messages?|texts?)\b|"
        r"\b(?:final|last) (?:letters?|notes?)\b|\b(?:wrote|"
        r"writing|written|recorded|recording|finished|left) (?:\w+ ){0,2}(?:letters?|notes?|"
        r"videos?) (?:\w+ ){0,2}(?:for|to) (?:each|every|all of|everyone)\b|"
        r"\b(?:one|a letter) for each (?:kid|of (?:my|them|you))\b|"
        r"\bthe (?:letters?|notes?|video) (?:explains?|will explain|say) (?:it|everything|why)\b|"
        r"\bwhat (?:do|should) i (?:write|put|say) in (?:the|my) note\b|\b(?:scheduled|set up) "
        r"(?:a |the |an )?(?:auto ?)?(?:post|text|email|message) (?:\w+ ){0,6}(?:explains?|for "
        r"(?:tomorrow|the morning)|so (?:she|he|they) knows?)\b",
        "S",
    ),
    rule(
        "rehoming_for_after",
        "plan_preparation",
        r"\b(?:made|making|arranged|arranging|found) (?:\w+ )?(?:arrangements|a (?:new )?home|"
        r"homes) for (?:my|the) " + ANIMALS + r"\b|\bwho (?:takes|gets|will take|would take|"
        r"feeds) (?:your|my|the) " + PETS + r" (?:if|when|after) (?:you|i) (?:die|am gone|"
        r"pass|go)\b|\b(?:feed|take|watch|keep) (?:the|my) " + PETS + r" (?:\w+ )?(?:indefinitely|"
        r"for good|forever|permanently|from now on)\b|\b(?:pre ?paid|prepaid|paid for|planned|"
        r"arranged|picked out) (?:for )?(?:my )?(?:own )?(?:funeral|cremation|burial|plot|casket|"
        r"urn|headstone)\b|\b(?:want|put|scatter) my ashes\b|\bwrote (?:out |up )?my (?:own )?"
        r"will\b|\b(?:gave|giving|give) (?:my )?" + KIN + r" (?:\w+ )?(?:power of attorney|"
        r"full custody|my passwords?)\b",
        "",
    ),
    rule(
        "loose_ends",
        "plan_preparation",
        r"\b(?:last|final|tying up|tied up|tie up) (?:the )?loose ends?\b|\b(?:squared|settled|"
        r"paid) (?:up |off )?(?:all )?(?:my|what i owe|everyone|my debts)\b(?=.*\b(?:calm|free|"
        r"last|done|ready|peace))|\bafter that (?:it|nothing) "
        r"(?:doesnt|wont|does not) matter\b|\b(?:then|after that) im free(?: to go)?\b|\bwhere im "
        r"(?:headed|heading)\b|\bby then it(?:ll| will) (?:be )?(?:done|over)\b|\bso (?:they|he|"
        r"she|my \w+) (?:remembers?|remember) me (?:from before|as|the way)\b|\b(?:one more|one "
        r"last|a last) (?:time|look|goodbye)\b(?=\W+(?:\w+ ){0,4}(?:and )?(?:then )?(?:thats it|"
        r"its over|im done|because it is|it is))|\blike it was the last time\b|\bgood last "
        r"(?:dinner|day|meal|night)\b|\bthats the window\b",
        "",
    ),
    rule(
        "giving_things_away",
        "plan_preparation",
        r"\b(?:giving|gave|give|handing|signed|signing) (?:away )?(?:all )?(?:of )?my (?:stuff|"
        r"things|belongings|possessions|guitar|tools|truck|car|watch|jewelry|tv|bike|books|"
        r"clothes|games|title)(?: \w+)? (?:away|to|over)\b(?=.*\b(?:think|thinks|wont|dont|"
        r"doesnt|know|why|eventually|need|lol|decluttering|generous|for good|weird))",
        "",
    ),
    rule(
        "failed_attempt_wish",
        "passive_ideation",
        r"\b(?:wish|wished|if only) (?:the|that|my|last|this) (?:\w+ ){0,3}(?:overdose|od|"
        r"crash|accident|attempt|fall|wreck) (?:\w+ ){0,3}(?:had )?(?:worked|finished (?:the "
        r"job|me)|killed me|took me|got me)\b|\b(?:i would|id|wouldnt|would not) (?:not )?"
        r"(?:treat|fight) it\b(?=.*\b(?:cancer|sick|diagnos\w*|tumor|head is at))|\b(?:jealous|"
        r"envious|envy) of (?:people in )?(?:the )?(?:dead|obituaries|people who died|whoever "
        r"died)\b|\b(?:death|dying|being dead|not existing) (?:\w+ )?(?:sounds|seems|feels) "
        r"(?:like )?(?:a )?(?:vacation|relief|peaceful|nice|restful|like rest)\b|\b(?:id|i "
        r"would) (?:welcome|not mind|be fine with) (?:a |an )?(?:heart attack|car crash|"
        r"crash|stroke|bus|truck|aneurysm)\b|\b(?:relieved|relief) if (?:it|everything|this) "
        r"(?:all )?(?:ended|just ended|stopped for good)\b|\bi(?:d| would) rather it (?:all )?"
        r"(?:just )?end\b|\b(?:pray|praying|prayed|hope|hoping) (?:\w+ ){0,2}(?:not to|to not|i "
        r"dont|i wont) wake up\b|\btrade places with (?:\w+ ){0,6}(?:died|dead|passed)\b",
        "S",
    ),
    rule(
        "old_dose_on_purpose",
        "overdose_intent",
        r"\b(?:use|using|shoot|do|take|try) (?:my )?(?:old|usual|full|pre rehab) (?:amount|dose|"
        r"shot)\b(?=.*\b(?:tolerance|anyway|plan|on purpose|see what happens|dont care))|"
        r"\b(?:double|triple) my (?:old |usual )?dose\b(?=.*\b(?:again|still here|on purpose|"
        r"try))|\b(?:downed|swallowed|took|taken|chugged) (?:my |the |a )?(?:whole|entire|full) "
        r"(?:\w+ )?(?:months?|weeks?|weekly|monthly|bottle|script|prescription|supply|pack|"
        r"pill organizer|pillbox|pill box|organizer)\b|\b(?:double|triple) what i used to "
        r"(?:do|use|take|shoot)\b|\b(?:go out|die|od|overdose) the (?:same )?way my \w+ did\b|"
        r"\bdidnt do it for the "
        r"high\b|\benough to not come back\b|\b(?:bought|buying|cop|copping|get|getting) from "
        r"(?:\w+ ){0,6}(?:who|that) (?:died|od|oded|killed)\b(?=.*\bon purpose)",
        "",
    ),
    rule(
        "self_harm_hidden",
        "self_harm",
        r"\b(?:clean|hide|hiding|cover|covering|stitch|bandage) (?:up )?(?:a |the |my |these )?"
        r"(?:deep |fresh |new )?(?:cuts?|scars|wounds?|burns?)\b(?=.*\b(?:fresh|deep|er|"
        r"questions|new|again|without|dont want))|\b(?:found|saw|noticed) (?:the|my) (?:cuts|"
        r"scars|burns|wounds)\b(?=.*\b(?:lied|said it was|cat|told \w+ it))|\b0 days (?:no|"
        r"without|off|clean from) (?:cutting|sh|self harm|hurting myself)\b|\bnot clean from "
        r"(?:this|cutting|sh|self harm)\b|\barms are (?:bad|rough|a mess)\b",
        "",
    ),
)

DAYS = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tonight|tomorrow|"
    r"this weekend)"
)

MORE_GAPS: tuple[Rule, ...] = (
    rule(
        "should_have_died",
        "passive_ideation",
        r"\b(?:shoulda|should have|shouldve) (?:just )?died\b|\bnot (?:like )?sleep tired\b|"
        r"\b(?:would|will|does|did) anyone (?:even )?"
        r"(?:come to|show up (?:to|at)|care about) my funeral\b|\bif (?:a|the) (?:bus|car|"
        r"truck|train) (?:hit|hits|ran over|runs over|took) me\b(?=.*\b(?:thank|thanks|"
        r"grateful|fine|relief|relieved|wouldnt mind|ok with|okay with|glad|welcome))|"
        r"\b(?:lose|end|take) my life too\b|\bthe (?:only )?other option (?:\w+ ){0,3}is "
        r"(?:dying|death|to die)\b",
        "S",
    ),
    rule(
        "burden_gone",
        "passive_ideation",
        r"\b(?:freer|happier|better|easier|lighter) (?:off )?(?:\w+ ){0,2}(?:without me|if i "
        r"(?:went|was gone|were gone|wasnt here|wasnt around|died|disappeared))\b|\bfavor by "
        r"(?:being gone|dying|not being (?:here|around)|disappearing)\b|\bwhats the (?:use|"
        r"point) of me\b|\bbetter off burying me\b|\b(?:whats|what is) (?:even )?left to "
        r"(?:stay|live|be) (?:\w+ ){0,4}(?:for|alive for)\b|\bnothing left to stay "
        r"(?:sober |clean |alive )?for\b",
        "S",
    ),
    rule(
        "plan_in_plain_words",
        "plan_preparation",
        r"\b(?:playlist|songs?|music|outfit|clothes|flowers|readings?) for my (?:own )?funeral\b|"
        r"(?:^|\| )"
        + DAYS
        + r"(?: ,)? (?:thats|that is|its) the plan\b(?= *(?:\||$|,))|\b(?:rope|gun|hose|pills|"
        r"bridge|car|garage)\W+(?:\| )?(?:thats|that is) the plan\b(?= *(?:\||$|,))|\b(?:after|"
        r"once) (?:my|the|"
        r"this) (?:\w+ ){0,3}(?:party|birthday|bday|wedding|graduation|holidays?|christmas|"
        r"weekend|court date) (?:im|i am|ill be) (?:done|gone)\b(?= *(?:\||$|,))|\bset (?:a|the) "
        r"date\b(?=.*\b(?:not telling|wont tell|dont tell|no one knows|nobody knows|not saying))|"
        r"\bkeep (?:setting|picking) dates\b|\bnot pushing it (?:back )?again\b|"
        r"\b(?:bday|birthday|christmas|thanksgiving|new year)\b"
        r"[^|]{0,30}\bmy last one\b|\b(?:long|one way|final) (?:trip|journey|vacation|ride)\b"
        r"(?=.*\bnot coming back)|\bwith a (?:note|letter)\b(?=.*\b(?:understand|sorry|forgive|"
        r"explain|know why))|\bshutting (?:down|off) for good\b|"
        r"\bcheck on my \w+ (?:after|when|once) (?:this weekend|tonight|tomorrow|im gone|i go)\b|"
        r"\bso (?:no one|nobody|noone) has to (?:deal with|clean|find|handle)\b[^|]*\b"
        r"(?:after|afterwards|later|when im gone)\b|"
        r"\b(?:set up|setup|recorded|wrote|made sure|arranged|paid)\b[^|]*\b(?:after|when|once) "
        r"(?:im|i am) (?:gone|not here|not around|dead)\b",
        "",
    ),
    rule(
        "high_place_checked",
        "method",
        r"\broof access\b(?=.*\b(?:checked|scoped|found|no fence|nobody|no one|alone|tonight))|"
        r"\b(?:tallest|highest) (?:building|bridge|parking garage|garage|point)\b(?=.*\b(?:"
        r"checked|scoped|access|no fence|nobody|no one|alone|tonight))",
        "",
    ),
    rule(
        "self_harm_said_sideways",
        "self_harm",
        r"\b(?:went|cut|go|going) deeper than (?:i )?(?:meant|wanted|planned|usual)\b|\b(?:arms?|"
        r"legs?|thighs?|wrists?) (?:look|looks) like (?:a )?(?:barcode|zebra|tic tac toe|"
        r"railroad)\b|\bbarcode (?:arms?|wrists?)\b|\b(?:sh|self harm|cutting) (?:clean |"
        r"free )?streak\b"
        r"[^|]*\b(?:reset|back to|broke|broken|0|zero)\b|\bcat scratch(?:es)?\b(?=.*\bif "
        r"(?:anyone|someone|they|people) asks?)|\b(?:bandaids|bandages|band aids) on (?:ur|your|"
        r"my) (?:arm|arms|wrist|wrists|legs?|thighs?)\b|\bcuts on (?:your|my|ur) (?:stomach|"
        r"thighs?|hips?)\b(?=.*\b(?:show|hide|swimsuit|summer|see))",
        "",
    ),
    rule(
        "coded_exit",
        "active_ideation",
        r"\bno respawns? (?:this time|for me)\b|\bgame over for me\b(?=.*\b(?:fr|for real|"
        r"respawn|for good|forever|this time))|\b(?:knock|knocking|knocked) on (?:the )?pearly "
        r"gates\b|\bmeet my maker\b|\b(?:go|going|gonna go) see my (?:wife|husband|mom|dad|son|"
        r"daughter|brother|sister|grandma|grandpa|baby)\b(?=.*\b(?:passed|dead|died))|"
        r"\b(?:retire|retirement|retiring|resign|resigning|resignation|two weeks notice|notice) "
        r"(?:\w+ ){0,2}(?:from|to) (?:existing|life|living|being alive)\b|\bmy own end of watch\b|"
        r"\bpunch(?:ing)? my (?:own )?ticket\b|\b10 ?7 (?:permanent|for good|forever)\b|\b(?:one "
        r"of the|join the|joining the|become the|blue) 22\b",
        "S",
    ),
    # Ninth round (writers 42 to 47's first pass): passive wishes and methods said plainly.
    rule(
        "wouldnt_mind_dying",
        "passive_ideation",
        r"\b(?:wouldnt|would not|dont|do not) (?:really |even |honestly )?mind (?:dying|being dead|"
        r"not waking up|if i (?:died|didnt wake up|never woke up)|not being here|not existing)\b|"
        r"\bfine with (?:not waking up|dying|never waking up|not existing)\b|\bcant wait to (?:be "
        r"dead|die|not exist|be gone for good)\b|\b(?:wore|worn) out (?:on|of|with) (?:living|life|"
        r"being alive)\b|\bquit(?:ting)? (?:everything|life|living|on life)\b(?! \w+ related)",
        "S",
    ),
    rule(
        # "does anyone else wish they just never woke up": a disclosure asked as a question
        "anyone_else_wish",
        "passive_ideation",
        r"\b(?:anyone|anybody|yall|you guys) (?:else )?(?:ever )?(?:\w+ )?(?:wish|wishes|want) "
        r"(?:they|to|you) (?:had |could |would |just )*(?:never (?:woke up|wake up|existed|been "
        r"born|were born)|(?:were|was|be) dead|die|not wake up|not exist|stop existing)\b",
    ),
    rule(
        "dead_weight",
        "passive_ideation",
        r"\b(?:im|i am|feel like|just|such|nothing \| but|been|being) (?:\w+ ){0,2}dead weight\b|"
        r"\b(?:world|everyone|everybody|family|kids) (?:is|are|would be|will be) (?:worse|better) "
        r"(?:off )?with me (?:in it|around|here|alive)\b|\bbetter if i (?:wasnt|werent|was not|"
        r"were not) (?:here|around|in the picture|alive|in their lives|in the world)\b",
        "S",
    ),
    rule(
        "keep_reviving",
        "passive_ideation",
        r"\b(?:keep|kept|keeps) (?:narcanning|narcan\w*|reviving|bringing|dragging) me back\b|"
        r"\bwish (?:they|you|he|she|someone|the medics) (?:hadnt|didnt|had not|did not|never) "
        r"(?:narcanned|narcan\w*|revived|saved|found) me\b",
    ),
    rule(
        # carbon monoxide: a hose to the exhaust, charcoal and tape
        "co_method",
        "method",
        r"\b(?:hose|tube|tubing|pipe)\b[^|]{0,30}\bexhaust\b|\bexhaust\b[^|]{0,30}\b(?:hose|"
        r"tube|tubing)\b|\bcharcoal\b[^|]{0,40}\b(?:tape|sealed|bathroom|closet)\b|\b(?:hose|"
        r"tubing) and (?:duct )?tape\b|\b(?:duct )?tape and (?:a )?(?:hose|charcoal|tubing)\b",
        "S",
    ),
    rule(
        "end_things_soon",
        "intent",
        r"\bend(?:ing)? things (?:this (?:weekend|week|time)|tonight|tomorrow|soon|for good|"
        r"before)\b",
        "S",
    ),
    rule(
        "farewell_plain",
        "plan_preparation",
        r"\bsee (?:you|ya|yall|u) (?:all )?on the other side\b(?! of)|\b(?:letter|note|letters|"
        r"notes) (?:\w+ ){0,4}explaining why\b|\bremember me for the good (?:stuff|times|things|"
        r"parts)\b",
        "S",
    ),
    rule(
        # "a stab at my wrists", "the blade across my arm"
        "blade_at_body",
        "self_harm",
        r"\b(?:stab|stabs|stabbing|slash|slashing|slice|slicing|razor|blade|knife)\b[^|]{0,12}\b"
        r"(?:at|into|across|open|up) my (?:wrists?|arms?|thighs?|veins?)\b",
        "S",
    ),
    rule(
        "not_making_it_to",
        "passive_ideation",
        r"\b(?:im not|not|wont be|i wont be) (?:going to )?mak(?:e|ing) it (?:to|till|until|past) "
        r"(?:[2-9]0|my (?:birthday|next birthday|[2-9]0th)|next (?:year|christmas|birthday)|the "
        r"new year|new years)\b|\bdont (?:expect|plan) to (?:be (?:here|around|alive)|still be "
        r"(?:here|around))\b|\b(?:not|dont|do not|stopped) car(?:e|ing) (?:if|whether) (?:i|you) "
        r"(?:live|die|wake up|make it)\b",
        "S",
    ),
)
