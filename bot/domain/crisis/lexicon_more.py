"""More phrase rules: the ways people circle around the words (on purpose, not safe,
thinking about dying, counted pills, near misses, goodbyes). Same conventions as
``lexicon_thoughts``."""

from __future__ import annotations

from bot.domain.crisis.rules import Rule, rule

MORE: tuple[Rule, ...] = (
    rule(
        "preparation_strong",
        "plan_preparation",
        r"\bnone of (?:this|it) (?:is|was) (?:your|anyones|their|his|her) fault\b|\bif (?:you|"
        r"yall|anyone) (?:dont|do not|doesnt) hear from me (?:after|by|again|tomorrow)\b|"
        r"\bscheduled (?:the |some |my )?(?:emails?|messages?|texts?|posts?) to (?:send|go out)\b|"
        r"\bleft (?:a |my )?(?:note|letter)s? (?:on|in|for|under)\b|\b(?:practicing|practiced|"
        r"dry run|test run|trial run) (?:of )?(?:how (?:id|i would|ill|to) (?:do it|go)|"
        r"the (?:knot|"
        r"rope|noose))\b|\b(?:picked|chose|chosen|choose|decided on) (?:the|a|my) (?:date|day|"
        r"spot|method|time)\b|\b(?:everything|all) (?:is )?in order (?:before|by|for when)\b|"
        r"\b(?:my |the )?letters (?:are|will be) (?:in|on|under)\b",
        "",
    ),
    rule(
        "preparation_weak",
        "plan_preparation",
        r"\bfound (?:a|the) (?:spot|place)\b|\brehears\w* (?:it|how)\b|\b(?:leaving|left) my "
        r"\w+ to \w+\b",
        "C",
    ),
    rule(
        "voices_plan",
        "active_ideation",
        r"\b(?:voices?|something|it|my head|my brain) (?:\w+ ){0,2}(?:telling|tell|told|tells|"
        r"keeps telling) me to (?:end it|kill myself|die|jump|do it|hurt myself|cut)\b|"
        r"\b(?:living|life|being alive|existing) (?:feels|is|has become) (?:like )?(?:a )?"
        r"(?:punishment|torture|prison|unbearable|pointless|meaningless)\b",
        "S",
    ),
    rule(
        "staring_means",
        "method",
        r"\b(?:staring|looking|stare|look|stared) at (?:the|my|a|all) (?:\w+ )?(?:pills|gun|rope|"
        r"blade|razor|knife|noose)\b|\b(?:use|using|do|doing|shoot|take|taking) it all\b(?= *"
        r"(?:\||,|$|tonight|at once))",
        "S",
    ),
    rule(
        "all_planned",
        "plan_preparation",
        r"\b(?:got|have|had) (?:it |everything )?(?:all )?planned(?: out)?\b",
        "C",
    ),
    rule(
        "checkin_plan_yes",
        "plan_preparation",
        r"\b(?:plan|means|intent|thoughts of (?:suicide|killing myself|ending it)) (?:yes|y|"
        r"present|active)\b",
    ),
    rule(
        "no_narcan",
        "overdose_intent",
        r"\b(?:not carrying|without|no|hid|hiding|threw out|threw away|got rid of|left) (?:my |"
        r"the |any )?narcan\b|\b(?:use|using|shoot|shooting|do|doing) (?:\w+ ){0,2}alone on "
        r"purpose\b",
        "C",
    ),
    rule(
        "turn_wheel",
        "method",
        r"\b(?:think|thinking|thought) (?:about|of) (?:turning|jerking|yanking|swerving) (?:the "
        r"wheel|into)\b|\bturn(?:ing)? the wheel (?:into|off)\b|\b(?:the|a|my) (?:cord|belt|"
        r"rope|noose) (?:is )?(?:tied|tied up|tied already|up|ready|hanging)\b|\bhave the "
        r"(?:cord|belt|rope|noose) tied\b",
        "S",
    ),
    rule(
        "method_research",
        "method",
        r"\b(?:looked|looking|look|searched|searching|googled|googling|research\w*) (?:up )?"
        r"(?:\w+ ){0,4}(?:highest|tallest|lethal|fatal|deadly|how (?:many|much)|how to (?:die|"
        r"hang|overdose|od|kill))\b|\b(?:dose|amount|pills|height|bridge|floor) (?:\w+ ){0,3}"
        r"(?:would|will|could) do it\b|\bknow where (?:\w+ ){0,3}(?:keeps|hides|stores|has|"
        r"keep) (?:his|her|the|their|a|my) (?:gun|pistol|pills|rifle|shotgun)\b|\b(?:belt|rope|"
        r"cord|noose|bag|scarf|leash) (?:around|over) my (?:neck|head)\b",
        "S",
    ),
    rule(
        "near_miss",
        "method",
        r"\b(?:almost|nearly) (?:did it|went through with it|ended it|killed myself|jumped|"
        r"overdosed|oded|hung myself|did something)\b|\b(?:stood|standing|sat|sitting|stand) "
        r"(?:on|at) (?:the )?(?:edge|ledge|railing) of (?:the |a )?(?:roof|bridge|building|"
        r"cliff|overpass|parking garage)\b|\b(?:drove|walked|went) (?:to|out to) (?:the|a) "
        r"(?:bridge|tracks|train tracks|cliff|overpass|roof)\b (?:and (?:sat|stood|stared|"
        r"looked|waited|thought))",
        "S",
    ),
    rule(
        "last_shot",
        "overdose_intent",
        r"\bhope (?:this|the next|it) (?:\w+ )?(?:is|will be|s) (?:my|the) last\b|\b(?:im|i am|"
        r"ill be|i will be|im just) ending it\b|\bneed (?:to feel|the) pain\b|\bneed to (?:bleed|"
        r"hurt myself)\b|\bsomewhere i (?:wont|will not|dont) need\b",
        "S",
    ),
    rule(
        "no_reason_alive",
        "passive_ideation",
        r"\b(?:no|any) (?:point|reason) (?:\w+ ){0,4}(?:alive|living|existing)\b|\b(?:want|"
        r"wanna|ready) to (?:go )?be with (?:my \w+|him|her|them) (?:in heaven|again|up there)\b",
    ),
    rule(
        "gun_bought",
        "method",
        r"\b(?:bought|buying|got|picked up|borrowed) (?:a |my |the )?(?:gun|pistol|handgun|"
        r"firearm)\b(?! (?:for (?:hunting|deer|protection|the range|target|work|my job)|license|"
        r"safe|lock))|\bloaded gun\b|\b(?:the|a|my) (?:rope|noose|gun|pills|blade|razor) (?:is "
        r"|are )?(?:in|under) my (?:trunk|car|bag|backpack|pocket|drawer|closet|nightstand)\b",
        "S",
    ),
    rule(
        "swallow_count",
        "overdose_intent",
        r"\b(?:take|taking|took|swallow\w*|pop|popping|popped|down|downed|ate) (?:like |about |"
        r"around |maybe |over |almost )?[1-9][0-9]+ (?:of (?:my|the|them) )?(?:\w+ )?(?:pills|"
        r"tabs|tablets|bars|xanax|seroquel|tylenol|advil|klonopin|ambien|percs|oxys?|benzos|"
        r"meds|of (?:them|my \w+))\b|\b(?:take|taking|swallow\w*|took|eat) everything (?:in|from) "
        r"(?:the|my) (?:medicine cabinet|cabinet|bottle|drawer|bathroom)\b|\b(?:alcohol|vodka|"
        r"liquor|whiskey|wine|booze|tequila) (?:with|and) (?:my |the |some |all (?:my|the) )?"
        r"(?:xanax|pills|bars|benzos|meds|sleeping pills|klonopin|ambien|percs|oxys?)\b",
        "S",
    ),
    rule(
        "last_see_me",
        "plan_preparation",
        r"\blast time (?:you(?:ll| will)?|anyone(?:ll)?|u|yall|you all|they(?:ll)?|hell|shell) "
        r"(?:\w+ )?(?:see|hear "
        r"from|hear) me\b|\blast (?:you(?:ll| will)?|anyone(?:ll)?) (?:see|hear) (?:from|of) me\b",
    ),
    rule(
        "cares_live_die",
        "passive_ideation",
        r"\b(?:no one|nobody|noone|who) (?:even |really )?cares? (?:if|whether) i (?:live|die|"
        r"lived|died|exist|am alive|wake up)\b",
    ),
    rule(
        "method_verb",
        "method",
        r"\b(?:i|im|i am|ill|i will|ive been|going to|want to|thinking (?:about|of)|planning "
        r"(?:to|on)|ready to|about to|might|could|should) (?:\w+ ){0,2}?(?:jump|jumping|hang|"
        r"hanging|shoot|shooting|drown|drowning|slit|slitting)\b(?! (?:in|into|on|out|ahead|"
        r"back|rope|the gun|around|with|at|up|over|off (?:of )?(?:work|the couch|the bed)|it "
        r"(?:up|back|on|out|down|in)|the (?:phone|tv|messenger|breeze|ref|referee)|my "
        r"(?:coat|jacket|hat|clothes|laundry|shot)|hoops|pool|a text|an email|you|him|her|"
        r"them|the breeze|photos|pics|some|for|through|to|the bull|my shot|your shot|loose|"
        r"tight|right|left))",
        "S",
    ),
    rule(
        "mix_alcohol",
        "overdose_intent",
        r"\b(?:pills|meds|bars|xanax|benzos|percs|oxy\w*|sleeping pills|tylenol|klonopin|"
        r"ambien|seroquel) (?:and|with|plus|chased with|washed down with) (?:a (?:bottle|fifth) "
        r"of )?(?:alcohol|vodka|liquor|whiskey|wine|booze|jack|tequila|rum)\b|\b(?:double|"
        r"triple|quadruple) (?:my |the )?(?:dose|shot|hit)\b|\bstop breathing\b",
        "S",
    ),
    rule(
        "goodbye_strong",
        "plan_preparation",
        r"\btell (?:my \w+|them|her|him|everyone|"
        r"my \w+ and \w+) (?:\w+ ){0,3}(?:that )?(?:im sorry|i love "
        r"(?:them|her|him|you)|i loved|goodbye)\b|\b(?:wasnt|isnt|not) (?:your|their|anyones|his|"
        r"her) fault\b|\bwho gets what\b|\bwhoever finds me\b|\bnothing left to (?:settle|say|"
        r"do)\b|\bpasswords\b|\bconsider this my (?:final|last)\b|\bwhere im going\b|\bthe "
        r"(?:means|intent)\b(?! to (?:pay|buy|afford|get|do|make|fund|cover|travel))|\b(?:have|"
        r"got) (?:what|everything) i need(?: for it)?\b|\bdont "
        r"worry about me (?:after|anymore|when)\b|\bthank (?:you|u) for trying\b|\bwrote my "
        r"goodbyes\b|\bif (?:anyone|someone|somebody) wants my\b|\bi know what (?:im going to|"
        r"ill|i will|i need to) do\b",
        "S",
    ),
    rule(
        "garage_car",
        "method",
        r"\b(?:car|engines?) (?:is |s )?(?:running|on)\b[^|]{0,40}\bgarage\b|\bgarage\b[^|"
        r"]{0,40}\b(?:car|"
        r"engine) (?:running|on)\b|\bletting it run\b|\b(?:measuring|tested|testing|checked|"
        r"checking) (?:the )?(?:beam|rafters?|rope|knot|belt|closet rod|ceiling fan)\b|"
        r"\bpracticing (?:tying )?(?:the |a )?(?:knot|noose)\b",
    ),
    rule(
        "meant_to_die",
        "passive_ideation",
        r"\bmeant to die\b|\b(?:dont think i|not sure i) deserve to (?:live|be alive|be here)\b|"
        r"\b(?:only way|only time)\b[^|]{0,30}\b(?:if|when) im dead\b|\bdone living\b|"
        r"\b(?:you|he|god|lord) (?:want to |wants to )?take me (?:now|home|tonight)\b|"
        r"\bpara que (?:sigo|seguir) viviendo\b|\bno vale la pena vivir\b|\bcomo lo voy a "
        r"hacer\b|\bsuicide is all i (?:think|thought) about\b",
    ),
    rule(
        "been_cutting",
        "self_harm",
        r"\b(?:been|im|i am|started|keep|kept|still|was|in the \w+) cutting\b(?! (?:back|down|out|"
        r"carbs|class|ties|corners|it close|my hair|hair|coupons|people|off|the|onions|wood|"
        r"grass|lawn|paper|fabric|sugar|meat|veggies|vegetables))|\bcutting (?:right now|again|"
        r"tonight|now)\b|\b(?:picking at|covered in|hiding) (?:the |my )?(?:cuts|scabs|wounds|"
        r"scars|burns|bruises)\b|\b(?:took apart|broke open|broke) (?:a |the |my )?(?:pencil )?"
        r"sharpener\b|\b(?:till|until|til) (?:it|i|they) (?:bled|bleeds|bleed)\b|\bme corte\b|"
        r"\bcortarme\b",
        "S",
    ),
    rule(
        "self_harm_on_purpose",
        "self_harm",
        r"\b(?:banged|bang|banging|hit|hitting|punched|burned|burnt|scratched|cut|starved|"
        r"slammed) (?:\w+ ){0,8}on purpose\b",
        "S",
    ),
    rule(
        "deserve_pain",
        "self_harm",
        r"\b(?:i )?deserve (?:to (?:hurt|bleed|suffer|be hurt|feel pain|be punished)|the pain|"
        r"pain|it to hurt)\b",
    ),
    rule(
        "deserve_die",
        "passive_ideation",
        r"\b(?:i )?(?:deserve to die|dont deserve to (?:live|be alive|be here|exist))\b",
    ),
    rule(
        "means_in_hand",
        "method",
        r"\b(?:sitting|lying|laying|standing) (?:here |in \w+ )?with (?:a|the|my) (?:razor|blade|"
        r"knife|gun|rope|pills|bottle of pills)\b|\b(?:the|a|my) (?:blade|razor|gun|knife|rope|"
        r"pills) (?:is |are )?(?:out|in my hand|in my lap|next to me|ready|loaded)\b|\bhave "
        r"(?:the|a|my) (?:blade|razor|gun|knife|rope|pills) out\b",
    ),
    rule(
        "dont_save_me",
        "plan_preparation",
        r"\b(?:dont|do not) (?:call (?:911|anyone|an ambulance|for help)|narcan me|save me|"
        r"revive me|try to save me|come looking|look for me)\b|\bdont want to be (?:saved|found|"
        r"revived|narcanned|rescued)\b",
    ),
    rule(
        "poison",
        "method",
        r"\b(?:drink|drinking|drank|swallow\w*|ate|eat|eating) (?:some |the )?(?:antifreeze|"
        r"bleach|rat poison|drain cleaner|poison)\b",
    ),
    rule(
        "lethal_batch",
        "overdose_intent",
        r"\b(?:batch|bag|stuff|dope|pills|shit) (?:thats |that is |is |has been )?(?:killing|"
        r"dropping) people\b|\b(?:dose|amount|shot|hit)\b[^|]{0,30}\bwould kill\b|\bstops? my "
        r"heart\b|\b(?:laced|fent|fentanyl)\b[^|]{0,25}\bdont care\b|\bbetter if it is\b",
        "S",
    ),
    rule(
        "use_on_purpose",
        "overdose_intent",
        r"\b(?:use|using|get|getting|shoot|shooting|do|doing|take|taking|become) (?:\w+ ){0,6}"
        r"(?:on purpose|not for fun|not to get high)\b|\b(?:use|using|shot|do) (?:so much|too "
        r"much|more than)\b[^|]{0,30}\b(?:dont|wont|never|hope it works|on purpose)\b",
        "S",
    ),
    rule(
        "every_pill",
        "overdose_intent",
        r"\b(?:take|taking|took|swallow\w*|pop|popping) every (?:single )?(?:pill|tablet|one of "
        r"(?:my|the|them))\b",
    ),
    rule(
        "permanent_solution",
        "active_ideation",
        r"\b(?:final|permanent|easy|only) (?:exit|solution|way out|escape|answer)\b(?! to a "
        r"temporary)",
        "S",
    ),
    rule(
        "grave_emoji",
        "active_ideation",
        r"\b(?:ready for|want|wanna|need|me|put me in|me with) (?:to |to be in )?(?:the |a |my )?"
        r"(?:grave|coffin)\b|"
        r"\b(?:grave|coffin) (?:me|soon|time|for me|please)\b",
    ),
    rule(
        "log_off",
        "active_ideation",
        r"\blog(?:ging)? off (?:for good|forever|permanently)\b|\bready to be done\b|"
        r"\b(?:going to|want to|ready to|about to|planning to) end things\b",
        "C",
    ),
    rule(
        "catch_bus",
        "active_ideation",
        r"\bcatch(?:ing)? the (?:bus|train)\b",
        "C",
    ),
    rule(
        "on_purpose",
        "method",
        r"\b(?:crash\w*|driv\w*|drove|step\w*|walk\w*|jump\w*|swerv\w*) (?:\w+ ){0,4}on purpose\b",
    ),
    rule(
        "took_on_purpose",
        "overdose_intent",
        r"\b(?:took|take|taking|swallowed|od|oded|overdosed|used|shot) (?:\w+ ){0,5}(?:on "
        r"purpose|to (?:not wake up|die|end it|never wake up))\b",
        "S",
    ),
    rule(
        "cut_on_purpose",
        "self_harm",
        r"\b(?:cut|burn\w*|hurt|hit|scratch\w*|punch\w*) (?:\w+ ){0,4}on purpose\b",
        "S",
    ),
    rule(
        "walk_into_water",
        "method",
        r"\b(?:walk|walking|swim|swimming|drive|driving|go|going) (?:\w+ )?(?:into|out into|"
        r"to) (?:the )?(?:lake|river|ocean|sea|water|traffic|cliffs?|bridge|tracks|train "
        r"tracks)\b(?= (?:and (?:not|never)|tonight|to end|now|\||,|$))",
        "S",
    ),
    rule(
        "not_safe",
        "intent",
        r"\bcant (?:promise|guarantee|say|keep) (?:that )?(?:ill|i will|im|i can|i am|myself)? ?"
        r"(?:be |stay |keep myself )?safe\b|\b(?:dont|do not) (?:feel|think (?:im|ill be)) safe "
        r"(?:with myself|tonight|right now|alone|anymore|at home)\b|\bnot safe (?:with myself|"
        r"tonight|right now|alone)\b|\bscared (?:of )?what (?:ill|i will|i might|i could|im "
        r"going to) do\b|\bdont trust myself\b|\bafraid (?:ill|i will|i might) (?:do something|"
        r"hurt myself|act on it)\b",
    ),
    rule(
        "think_dying",
        "active_ideation",
        r"\b(?:thinking|thought|think|dream\w*|daydream\w*|fantasi\w*|picturing|imagin\w*|"
        r"obsess\w*) (?:about |of )?(?:dying|being dead|my death|death|my (?:own )?funeral|not "
        r"existing|not being here|not being alive|myself dead|killing myself|ending it|ending "
        r"things|it all ending|ending my life|how to end it|how id do it|how i would do it|"
        r"how to do it|the bridge|the tracks|the rope|the pills|the gun|jumping)\b",
        "S",
    ),
    rule(
        "si_score",
        "active_ideation",
        r"\b(?:si|suicidal thoughts|suicidal ideation|sh|self harm) (?:[1-9]|10|yes|y|present|"
        r"active|passive|high|on and off|off and on|some|again|constant\w*|creeping|loud)\b"
        r"(?! (?:years?|months?|weeks?|days?|yrs|ago)\b)",
        "P",
    ),
    rule(
        "passive_si",
        "passive_ideation",
        r"\bpassive si\b(?! (?:means|is|vs|versus|and active|past))|"
        r"\b(?:safe|safety|feel safe|safe tonight) (?:no|nope|idk|not sure|n|questionable)\b"
        r"(?! (?:issues?|concerns?|complaints?|problems?|changes?|worries)\b)",
        "SP",
    ),
    rule(
        "thoughts_of_death",
        "passive_ideation",
        r"\bthoughts (?:of|about) (?:death|dying|being dead)\b(?! (?:or [a-z ]{1,20})?(?:no|"
        r"none|denied|never|nope)\b)",
        "S",
    ),
    rule(
        "od_planned",
        "overdose_intent",
        r"\b(?:my )?(?:od|overdose) (?:is )?planned\b|\b(?:im|i am|gonna|going to|will|ill) "
        r"(?:\w+ )?(?:od|overdose) (?:tonight|for real this time|on purpose)\b",
        "SP",
    ),
    rule(
        "drive_into",
        "method",
        r"\b(?:gonna|going to|will|ill|want to|might|could|thinking (?:about|of)|planning "
        r"(?:to|on)|about to|ready to) (?:just )?(?:drive|driving|steer|steering|swerve|swerving|"
        r"crash|crashing) (?:my |the )?(?:car |truck |van )?(?:myself )?(?:into|off|in front "
        r"of)\b",
        "S",
    ),
)
