"""Idioms: everyday sayings that share words with crisis language ("this is killing me",
"my phone died", "overdosed on coffee"). They are blanked out of the normalized text
before the rules run, so "dead tired and i want to die" still fires. A program adds its
own with ``safety.crisis_idioms`` (plain phrases, normalized like messages)."""

from __future__ import annotations

import re

_NOT_DRUGS = (
    r"(?:coffee|caffeine|sugar|candy|chocolate|netflix|tv|pizza|carbs|cookies|cake|"
    r"halloween candy|energy drinks?|red bull|monster|tacos|anime|kdramas|tiktok|reality tv|"
    r"true crime|podcasts?|christmas|cheese|vitamins|gummies|work|music|cuteness|love|"
    r"sunshine|dopamine|nostalgia|salt|spice|hot sauce|screen time|social media|memes|"
    r"espresso|cold brew|pumpkin spice|sweets|ice cream|donuts|dessert|snacks|junk food)"
)

DEFAULT_IDIOMS: tuple[str, ...] = (
    r"\bkill(?:ing|ed|s)? (?:it|time|the (?:vibe|mood|lights|engine|music|game|craving|"
    r"cravings)|two birds|for (?:a|some|an))\b",
    r"\b(?:is|are|was|were|its|keeps?|been|be) killing (?:me|my \w+)\b",
    r"\b\w+ (?:is|are|were|was) (?:gonna |going to )?(?:kill|killing) me\b",
    r"\b(?:going to|gonna|will|would|might) kill (?:me|him|her|them|you)\b(?= (?:if|when|lol|"
    r"for|\||,|$))",
    r"\bkill me now\b",
    r"\bdying (?:to|for|of (?:laughter|laughing|embarrassment|boredom|cringe|curiosity|"
    r"thirst|hunger|the heat))\b",
    r"\b(?:died|dying|die|dead) (?:laughing|of laughter|lol|from laughing)\b",
    r"\b(?:die|died) (?:of|from) (?:exhaustion|embarrassment|boredom|cringe|laughter|the heat|"
    r"heat|hunger|thirst|cuteness|happiness|joy|excitement|jealousy|suspense|old age|"
    r"secondhand embarrassment)\b",
    r"\bwould (?:die|do it) again\b",
    r"\bdie of (?:annoyance|irritation|impatience|frustration lol)\b",
    r"\b(?:would|id|i would|i d) (?:honestly |literally )?die for (?:my|you|him|her|them|this|"
    r"that|a|an|the|those|these)\b",
    r"\b(?:shoot|shooting|shot) (?:my|your|his|her|our|their) shot\b",
    r"\bhot shots? of (?:espresso|coffee|caffeine|tequila|whiskey|vodka|rum|hot sauce)\b",
    r"\b(?:jump|jumped|jumping) off (?:a|the) (?:cliff|bridge|roof|building) for (?:a|an|some|"
    r"the|one|good)\b",
    r"\b(?:shot|shoot|shooting) (?:myself|me|yourself|ourselves) in the (?:foot|feet)\b",
    r"\b(?:wanna|want to|gonna|going to|lets|can we|we should|to) hang (?:after|before|"
    r"later|sometime|this weekend|next week|at)\b",
    r"\b(?:gonna|going to|will|im going to) die if (?:this|that|the|one more|it (?:doesnt|"
    r"dont|takes|keeps)|i (?:have to|hear|see|dont get (?:coffee|food|sleep|a nap)))\b",
    r"\bto die for\b(?! real)",
    r"\bdie on (?:this|that) hill\b",
    r"\bdead (?:tired|serious|on|wrong|set|end|weight|inside lol|battery|phone|last)\b",
    r"\b(?:phone|battery|laptop|car|plant|plants|charger|tv|remote|computer|headphones|"
    r"airpods|battery|mouse|keyboard|printer|wifi|router|vape|lighter|flashlight|controller|"
    r"tablet|ipad|watch|fridge|bulb|engine|alternator|tree|goldfish|fish|basil|succulent|"
    r"conversation|group chat|chat|party|vibe|show|series|trend|meme|mood) (?:is |was |just |"
    r"finally |)(?:dead|died|dying|die|dies)\b",
    r"\b(?:im|i am|we are|were|literally|lowkey|im actually|im literally) "
    r"(?:so |actually |literally )?(?:dead|deceased|dying|ded)\b(?= *(?:lol|at|from|over))",
    r"\bi (?:could|couldve|could have|almost|nearly) (?:just )?(?:died|die)\b(?= (?:of|from|"
    r"when|laughing|lol|right|on the spot|\||,|$))",
    r"\b(?:bored|scared|sick|worried|freezing|frozen|tickled|loved) to death\b",
    r"\bthe death of me\b",
    r"\bover my dead body\b",
    r"\b(?:die hard|diehard|dye|dyed|dying my hair|die my hair)\b",
    r"\b(?:od|oded|overdos\w*|oding) on " + _NOT_DRUGS + r"\b",
    r"\b(?:sugar|caffeine|coffee|cuteness|carb|serotonin|dopamine|vitamin) overdose\b",
    r"\boverdose of " + _NOT_DRUGS.replace("(?:", "(?:sun|fun|", 1) + r"\w*\b",
    r"\bcut(?:ting)? (?:my hair|carbs|sugar|ties|back|class|the cord|corners|it out|down|"
    r"my losses|in line|my nails|the grass|the lawn|onions|veggies|my bangs|off (?:contact|"
    r"people|my)|toxic|coupons|the cheese|my coffee)\b",
    r"\bcutting board\b",
    r"\b(?:hang|hanging|hung) (?:out|in there|on|up|with|tight|loose|a (?:picture|shelf|"
    r"left|right)|pictures|the laundry|my (?:coat|clothes|jacket))\b",
    r"\bend of (?:the|my) (?:day|world|week|rope|road|shift|line)\b",
    r"\bend(?:ing)? (?:it|things) (?:with|between) \w+\b",
    r"\bend(?:ing)? my (?:shift|day|lease|relationship|streak|marriage|contract|week|"
    r"subscription|membership|night)\b",
    r"\b(?:take|taking|took|get|getting|got) (?:my|back my) life back\b|\btake back my life\b",
    r"\b(?:save|saved|saving|changed|change) my life\b",
    r"\bfor the life of me\b",
    r"\bjump(?:ing)? off a bridge if\b|\bif (?:all )?your friends jumped\b",
    r"\bkms\b(?= (?:away|run|walk|drive|ride|from))",
    r"\bshoot me (?:a|an) (?:text|message|dm|email|call)\b",
    r"\b(?:my|the) (?:feet|back|legs|knees|head|shoes|boots|hips|eyes) (?:are|is) killing "
    r"(?:me|my)\b",
    r"\bdead(?:line|lift|lifts|lifting|pool|wood|bolt|beat|head|heads)\b",
    r"\bpain killers?\b|\bpainkillers?\b",
    r"\bdrop dead (?:gorgeous|beautiful|handsome)\b",
    r"\b(?:dying|died) (?:on|in) (?:the|that|this) (?:level|boss|game|round|match)\b",
    r"\bsuicide (?:squad|doors?|run|runs|sprints|drills|mission|silence)\b",
    r"\bgoodbye (?:for now|till|until|and see)\b",
    r"\b(?:good)?bye forever\b(?= *(?:until|till|lol|see|jk|\())",
    r"\b(?:say |saying |said )?(?:good)?bye (?:forever )?to (?:my|the|this|our) (?:old |trusty |"
    r"[0-9]+ )?(?:car|truck|civic|van|phone|couch|sofa|apartment|house|job|hair|beard|jeans|"
    r"laptop|bike|mattress|winter|summer|snow|carbs|sugar|twenties|20s|vape|cigarettes)\b",
    r"\bhill (?:i|ill|id|im|i will|i would|im going to|to) ?(?:die|dying) on\b",
    r"\brope (?:and \w+ )?for (?:the |a |my |our )?(?:tire swing|swing|camping|boat|tent|tarps?|"
    r"hammock|climbing|garden|dog|kids?|gym|clothesline|trip)\b|\brope and tarps?\b",
    r"\bbox cutter\b|\b(?:blade|blades) (?:for|on) (?:the|my) (?:box cutter|shaver|mower|saw|"
    r"scraper)\b",
    r"\blast (?:message|post) (?:from me )?(?:here )?(?:for (?:today|tonight|now|a while|the "
    r"night|the week)|before (?:surgery|bed|work|my|i|the)|till|until)\b",
    r"\bthank you for trying (?:the|my|to teach|to help me with|out)\b",
    r"\b(?:jump|jumping) out (?:the|a|my) window if\b",
    r"\btraffic on the bridge\b",
    r"\b(?:nearly|almost) killed myself (?:tripping|falling|slipping|laughing|on (?:the|a|my) "
    r"(?:stairs|ice|toy|dogs|cats|curb|skateboard|bike))\b",
    r"\blethal (?:dose|amount) of (?:sarcasm|drama|cringe|cuteness|sass|attitude|reality|"
    r"mondays?|nostalgia|cheese|garlic|glitter|memes)\b",
    r"\bskin me alive\b",
    r"\bunalive (?:this|that|the|a|my|these|those) (?:pizza|burger|food|cake|plate|sandwich|"
    r"tacos?|meal|bag of \w+|pint|snacks?|cookies|fries|leftovers)\b",
    r"\bhow many \w+ does it take to (?:change|screw in) a light ?bulb\b",
    r"^kms (?:lol |lmao |omg )?(?=(?:how did|why did|i forgot|i got \w+ on|i left|i missed|"
    r"i spilled|i dropped|i burned|i locked))",
    r"\bsee (?:you|ya|yall|u) (?:all )?(?:tomorrow|thursday|next|later|soon|at|in|monday|"
    r"tuesday|wednesday|friday|saturday|sunday)\b",
)


def compile_idioms(extra: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """The default idiom patterns plus a program's plain-text idioms."""
    from bot.domain.crisis.normalize import normalize

    own = [normalize(phrase) for phrase in extra]
    patterns = list(DEFAULT_IDIOMS) + [rf"\b{re.escape(p)}\b" for p in own if p]
    return tuple(re.compile(p) for p in patterns)


def blank(text: str, idioms: tuple[re.Pattern[str], ...]) -> str:
    """``text`` with every idiom replaced by a neutral word, clause marks kept."""
    for idiom in idioms:
        text = idiom.sub(" idiom ", text)
    return re.sub(r" +", " ", text).strip()
