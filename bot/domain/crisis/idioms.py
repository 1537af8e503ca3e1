"""Idioms: everyday sayings that share words with crisis language ("this is killing me",
"my phone died", "overdosed on coffee"). They are blanked out of the normalized text
before the rules run, so "dead tired and i want to die" still fires. A program adds its
own with ``safety.crisis_idioms`` (plain phrases, normalized like messages)."""

from __future__ import annotations

import re

from bot.domain.crisis.prefilter import Filtered

_NOT_DRUGS = (
    r"(?:coffee|caffeine|sugar|candy|chocolate|netflix|tv|pizza|carbs|cookies|cake|"
    r"halloween candy|energy drinks?|red bull|monster|tacos|anime|kdramas|tiktok|reality tv|"
    r"true crime|podcasts?|christmas|cheese|vitamins|gummies|work|music|cuteness|love|"
    r"sunshine|dopamine|nostalgia|salt|spice|hot sauce|screen time|social media|memes|"
    r"espresso|cold brew|pumpkin spice|sweets|ice cream|donuts|dessert|snacks|junk food|"
    r"candy corn|popcorn|chips|fries|pasta|bread|cereal|soda|pop|la croix|kombucha|tea|"
    r"matcha|boba|fruit|mangoes|oranges|cinnamon|garlic|ranch|cheetos|skittles|sour patch|"
    r"gummy bears|peeps|hallmark movies|rom ?coms|christmas music|youtube|gym|cardio|naps|"
    r"sleep|self care|hugs|kindness|drama|gossip|cheesy movies|crafts|books|plants)"
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
    r"\b(?:died|dying|die|dead) (?:laughing|of laughter|from laughing)\b|\b(?:died|dying|dead) "
    r"lol\b",
    r"\b(?:die|died) (?:of|from) (?:exhaustion|embarrassment|boredom|cringe|laughter|the heat|"
    r"heat|hunger|thirst|cuteness|happiness|joy|excitement|jealousy|suspense|old age|"
    r"secondhand embarrassment)\b|\b(?:die|died|dying) on the spot\b|\bif looks could "
    r"kill\b",
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
    r"\bdead (?:tired|serious|on|wrong|set|end|inside lol|battery|phone|last)\b",
    r"\b(?:phone|battery|laptop|car|plant|plants|charger|tv|remote|computer|headphones|"
    r"airpods|battery|mouse|keyboard|printer|wifi|router|vape|lighter|flashlight|controller|"
    r"tablet|ipad|watch|fridge|bulb|engine|alternator|tree|goldfish|fish|basil|succulent|"
    r"conversation|group chat|chat|party|vibe|show|series|trend|meme|mood)s? (?:is |was |just |"
    r"finally |about to |bout to |going to |is about to |is going to |)(?:dead|died|dying|die|"
    r"dies)\b",
    r"\b(?:im|i am|we are|were|literally|lowkey|im actually|im literally) "
    r"(?:so |actually |literally )?(?:dead|deceased|dying|ded)\b(?= *(?:lol|at|from|over))",
    r"\bi (?:could|couldve|could have|almost|nearly) (?:just )?(?:died|die)\b(?= (?:of|from|"
    r"when|laughing|lol|right|on the spot|\||,|$))",
    r"\b(?:bored|scared|sick|worried|freezing|frozen|tickled|loved) to death\b",
    r"\bthe death of me\b",
    r"\bover my dead body\b",
    r"\b(?:die hard|diehard|hair dye|(?:dye|dyed|dyeing|dying|die) (?:my|her|his|the|our) "
    r"(?:hair|beard|roots|jeans|shirt|eggs|bangs|tips))\b",
    r"\b(?:od|oded|overdos\w*|oding) on " + _NOT_DRUGS + r"\b",
    r"\b(?:sugar|caffeine|coffee|cuteness|carb|serotonin|dopamine|vitamin) overdose\b",
    r"\boverdose of " + _NOT_DRUGS.replace("(?:", "(?:sun|fun|", 1) + r"\w*\b",
    r"\bcut(?:ting)? (?:my hair|carbs|sugar|ties|back|class|the cord|corners|it out|down|"
    r"my losses|in line|my nails|the grass|the lawn|onions|veggies|my bangs|off (?:contact|"
    r"people|my)|toxic|coupons|the cheese|my coffee)\b",
    r"\bcutting board\b",
    r"\b(?:hang|hanging|hung) (?:out|in there|on|up|with(?! [^|]*\b(?:heaven|angels|jesus|the "
    r"dead)\b)|tight|loose|a (?:picture|shelf|"
    r"left|right)|pictures|the laundry|my (?:coat|clothes|jacket))\b",
    r"\bend of (?:the|my) (?:day|world|week|rope|road|shift|line)\b",
    r"\bend(?:ing)? (?:it|things) (?:with|between) (?:him|her|them|us|my (?:ex|bf|gf|boyfriend|"
    r"girlfriend|partner|husband|wife|man|girl|dealer|sponsor|friend|job|landlord|boss)|\w+ and "
    r"(?:me|i))\b",
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
    r"night|the week)|before (?:surgery|bed|work|my (?:shift|flight|surgery|trip|vacation|"
    r"exam|appointment)|i (?:head|go) (?:to|into|in)|the (?:meeting|game|move|holidays))|till|"
    r"until)\b",
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

# Sayings built on a method word (stab, shoot, jump, gun, bullet, rope, bridge, trigger,
# pill, poison) or on dying, ending and goodbyes, each bounded so the literal act is
# not blanked ("take a stab at my resume" is a saying, "a stab at my wrists" is not).
_BODY = r"(?:wrists?|arms?|legs?|thighs?|throat|neck|chest|stomach|heart|skin|veins?|body|self)"
SAYINGS: tuple[str, ...] = (
    rf"\b(?:take|taking|took|takes|have|had|give it|make) a (?:first |quick |real |)stab at\b"
    rf"(?! (?:my ?{_BODY}|me|myself)\b)",
    r"\bstab in the dark\b|\bback ?stab\w*\b|\bstabbed (?:me |us |you )?in the back\b",
    r"\bshoot(?:ing)? for (?:the|a|an|my|[0-9i]+|at least|like|around|something|every|monday|"
    r"tuesday|wednesday|thursday|friday|saturday|sunday|next|this|noon|morning)\b",
    r"\bshoot(?:ing)? (?:the breeze|hoops|pool|some hoops|the shit|first)\b|\bshooting star\b|"
    r"\bphoto ?shoot\b",
    r"\bshoot (?:me|him|her|them|you|us) (?:a|an|the) (?:quick |)(?:text|message|msg|dm|email|"
    r"call|link|pic|picture|photo)\b",
    r"\b(?:long|cheap|parting|big|flu|booster|covid|vaccine|b12|jump|slap|mug|moon|money|"
    r"espresso|tequila|screen|trick) ?shots?\b|\bshot (?:in the dark|glass|clock|caller)\b|"
    r"\b(?:give|gave|giving) (?:it|this|that|her|him) (?:a|one more|another) (?:good |fair |)"
    r"(?:shot|go)\b|\bworth a shot\b|\bcall(?:s|ed|ing)? the shots\b|\bshots fired\b",
    r"\bjump(?:ed|ing)? the gun\b|\bjump(?:ed|ing)? ship\b|\bjump(?:ed|ing)? (?:at|through) "
    r"(?:the chance|hoops)\b|\bjump(?:ing|ed)? to conclusions\b|\bjump(?:ing)? (?:rope|"
    r"jacks|scares?)\b|\bjumper cables?\b|\bjump ?start\w*\b|\bjump(?:ed|ing)? (?:the|my|"
    r"her|his|a) (?:car|truck|battery|van)\b|\bjump(?:ed|ing)? (?:on|in) (?:a|the) (?:call|"
    r"zoom|meeting|train|bandwagon|shower|pool|lake|car|convo|conversation|chat)\b",
    r"\bstick(?:ing)? to (?:my|your|our|his|her|their) guns\b|\bson of a gun\b|\bguns? "
    r"blazing\b|\bunder the gun\b|\bsmoking gun\b|\b(?:nail|glue|staple|water|nerf|finger|"
    r"radar|heat|massage) guns?\b|\bgun show\b|\bshotgun\b(?= (?:seat|ride|on)|$)|\b(?:call|"
    r"called|ride|riding|rode) shotgun\b",
    r"\bbit(?:e|ing)? the bullet\b|\bdodged (?:a|that|the) bullet\b|\bbullet (?:points?|"
    r"journal\w*|train|list|proof)\b|\bsilver bullet\b|\bsweat(?:ing)? bullets\b",
    r"\btrigger (?:warning|list|words?)\b|\bhair trigger\b|\bpull(?:ed|ing)? the trigger "
    r"on (?:a|the|that|this|buying|getting|it|my (?:new|order))\b",
    r"\b(?:learn|learning|learned|learnt|know|knows|show|showed|showing) (?:me |you |him |her |"
    r"them |)the ropes\b|\bon the ropes\b|\broped (?:me |him |her |them |us |)in(?:to)?\b|"
    r"\brope (?:me|him|her|them|us) in\b",
    r"\bburn(?:ing|ed|t)? (?:my |our |that |those |the |)bridges?\b|\bcross (?:that|the) bridge\b"
    r"|\bwater under the bridge\b|\bbridge the gap\b|\bdental bridge\b",
    r"\bchill pill\b|\bbitter pill\b|\b(?:red|blue) pill\b|\bpick your poison\b|\bpoison "
    r"(?:ivy|oak)\b|\bfood poisoning\b",
    r"\bfinal (?:boss(?! of (?:my life|life|recovery|me\b|my recovery)| is me\b)|exam|exams|"
    r"round|four|fantasy|destination|countdown|project|paper|"
    r"presentation|score|lap|stretch|season|episode|quarter|interview|fitting|inspection|"
    r"walkthrough|payment)\b",
    r"\blast (?:call|straw|minute|resort|laugh|chance to (?:sign|register|grab|get)|nerve|"
    r"but not least)\b|\bon (?:my|its|their|his|her) last legs?\b",
    r"\bend of (?:an era|story|discussion|the line for (?:this|that|my) (?:car|phone|laptop|"
    r"couch))\b|\bmake ends meet\b|\b(?:dead|deep|bitter|rear|split) ends?\b",
    r"\b(?:the )?die is cast\b|\b(?:die|dies|dying|died) down\b|\bdying breed\b|\bold habits "
    r"die hard\b|\bnever say die\b|\bdo or die\b",
    r"\bdead (?:ringer|heat|giveaway|of (?:night|winter)|air|zone|center|even|asleep|to rights|"
    r"to the world|broke|in the water|horse|silent|quiet|sober|ass|meat|sea|skin|bugs?)\b|"
    r"\bdeadass\b|\bwouldnt be caught dead\b|\bbeat(?:ing)? a dead horse\b",
    r"\bdeath (?:grip|stare|metal|trap|by (?:powerpoint|meetings?|a thousand)|wish list)\b|"
    r"\bkiss of death\b|\b(?:loved?|worried|stressed|annoyed|sick|overcooked|talked|worked|"
    r"beat|beaten|tickled|bored|scared|freezing) (?:it |him |her |them |you |that |this |)to "
    r"death\b|\bsick to death of\b|\bat deaths door\b(?= with| from| cause| because| lol)",
    r"\bkill(?:ing)? myself (?:laughing|trying to (?:get|finish|make|keep up|catch up|meet|"
    r"fix|figure|learn))\b",
    r"\bdressed to kill\b|\b(?:buzz|over|road|weed|bug) ?kill\w*\b|\bkill ?joy\b|\bkill "
    r"switch\b|\bkiller (?:workout|deal|view|sale|app|headache|migraine|leg day|abs|song|beat|"
    r"playlist|outfit|smile|recipe|burger|sandwich|set|show)\b",
    r"\b\w+ (?:is|are|was|were|keeps?) (?:gonna |going to |lowkey |literally |)unaliv\w* me\b",
    r"\b(?:unalive|unalived|killed|offed) itself\b",
    r"\bctb\b(?= *[|,(]* *catch(?:ing)? the bus)",
    r"\bleft (?:me|him|her|us|you|them) hanging\b|\bhang(?:ing)? by a thread (?:on|with) "
    r"(?:this|that|the|my) (?:project|deadline|budget|car|phone)\b",
    r"\b(?:it|that|thatll|itll|its|thats) (?:will |)(?:be |)(?:my|your|his|her) funeral\b",
    r"\bhere today(?:,| |\|)*gone tomorrow\b|\bblood (?:out of|from) a (?:turnip|stone|rock)\b|"
    r"\bnine lives\b",
    r"\b(?:good)?bye (?:forever )?to (?:my|the|our) (?:savings|money|paycheck|wallet|bank "
    r"account|tax refund|bonus|budget|free time|weekend|social life|sleep schedule)\b",
    r"\b(?:logging|logged|signing|signed|going) (?:off|offline) forever\b(?= *[|,]* *(?:until|"
    r"till|til|jk|lol|lmao|kidding|or at least))",
    r"\blast day (?:of|at) (?:training|orientation|work before|school|class|the (?:old )?job|my "
    r"(?:old )?job|vacation|probation|summer|break)\b",
    r"\bcut(?:ting|s)? (?:me|myself|him|her|us|you|yourself|them) (?:some |a little |a bit of |a "
    r"lot of |)slack\b|\bcut(?:ting)? (?:to the chase|it close|the mustard)\b|\ba cut above\b|"
    r"\bcut out for (?:this|it|that)\b",
    r"\bbleed(?:ing)? (?:me |us |you |them |)(?:money|cash|dry)\b|\bburn(?:ed|t|ing)? out\b|"
    r"\bburnout\b|\bburn(?:ing)? the (?:candle|midnight oil)\b|\bburn(?:ed|t)? (?:the|my) "
    r"(?:toast|rice|dinner|food|pizza|popcorn|bacon|eggs|cookies|garlic)\b",
    r"\bdrown(?:ing|ed)? in (?:work|paperwork|homework|laundry|emails|bills|debt|dishes|"
    r"assignments|ranch|sauce|gravy|butter|syrup|cheese|notifications|texts)\b",
    r"\b(?:bang|beat)(?:ing)? my head (?:against|on) (?:a|the) wall (?:trying|over|with|about|"
    r"figuring|"
    r"doing|when|because)\b",
    r"\brip (?:to )?(?:my|the) (?:wallet|sleep schedule|bank account|diet|savings|paycheck|phone|"
    r"car|streak|knees|back|ears|inbox|social life|weekend|budget)\b",
    r"\bpull(?:ed|ing)? the plug on (?:the|that|this|our|my|a) (?:project|plan|trip|party|idea|"
    r"show|deal|launch|app|website|camping trip|vacation)\b|\btake a bullet for\b",
    r"\b(?:car|truck|phone|laptop|tv|fridge|washer|dryer|microwave|printer|dishwasher|ac|heater|"
    r"vacuum|blender|toaster|mower|lawnmower|router|tablet|console|xbox|switch|headphones|"
    r"airpods|charger|battery|van|bike|scooter|computer|furnace|water heater) (?:finally |just |"
    r"officially |)(?:kicked the bucket|gave up the ghost|bit the dust|croaked)\b",
    r"\bone foot in the grave\b|\b(?:rolling|roll|spinning|turning) (?:over )?in (?:his|her|"
    r"their|my) graves?\b|\bgraveyard shift\b|\bnail in the coffin\b|\bgive up the ghost\b|"
    r"\bdead as a doornail\b|\bbury the hatchet\b|\bburied (?:in|under) (?:work|paperwork|"
    r"laundry|emails|homework|snow|blankets)\b|\bmurder (?:a|some) (?:cuppa|burger|pint|pizza|"
    r"coffee|steak|taco)\b",
    r"\b(?:im|im going to be|ill be|i will be|going to be) so dead\b(?= *(?:if|when|lol|lmao|my "
    r"(?:mom|dad|boss|wife|husband|sponsor)))",
    r"\b(?:ill|i will|id|i would) die trying\b|\b(?:shoot|kill|unalive) me now\b|\b(?:give|gave) "
    r"my (?:left|right) (?:arm|leg|kidney|eye) for\b|\bhave my hide\b",
    r"\bkill(?:ing|ed)? (?:this|that|the|my) (?:round|set|game|match|interview|test|exam|"
    r"presentation|workout|run|audition|performance|shift)\b",
    r"\bbridge (?:is|was|will be|s) (?:closed|out|under construction|backed up|icy|jammed)\b|"
    r"\b(?:the |that |this )?songs? bridge\b|\bbridge (?:of|in) (?:the|that|this) song\b",
    r"\b(?:slay|slaying|party|partying|rock|dance|dancing|ride|binge\w*|grind|grinding|hustle|"
    r"sober|clean|loyal) (?:til|till|until) i (?:die|drop)\b",
    r"\b(?:hours|pay|shifts?|budget|funding|salary|benefits|overtime|bonus) (?:got |were |was |"
    r"have been |has been |)cut\b",
    r"\b(?:took|take|taking) (?:them|my meds|my pills|my medication|my meds) (?:all )?(?:on "
    r"time|as prescribed|with food|every morning|every night)\b",
    r"\b(?:good)?bye (?:my |to my )?(?:brain cells|sleep schedule|diet|paycheck|social life)\b",
    r"\b(?:forgot|lost|locked|dropped|spilled|missed|burned|broke|deleted|replied all|sent)\b"
    r"[^|]{0,40}\bkms\b|\bkms\b(?= *(?:lol |lmao |smh |)i (?:just )?(?:replied|sent|said|called|"
    r"forgot|locked|dropped|spilled|missed|burned|deleted))",
    r"\b(?:plants?|succulents?|basil|flowers|goldfish) (?:have been|has been|got|was|were) "
    r"(?:unalived|killed|murdered) by\b",
    r"\b(?:plants?|succulents?|basil|flowers|goldfish|tomatoes|garden|herbs|orchids?|cactus|"
    r"ferns?)\b(?: \w+){0,5} (?:die|died|dying|dead)\b|\b(?:unalive\w*|killed|kill|killing) "
    r"(?:another|my|a|the|every|all my|all the) (?:succulent|plant|cactus|orchid|fern|basil)s?\b",
    r"\b(?:hot|cold|freezing|humid|boring) enough to (?:die|kill)\b|\bhinges of (?:hell|hades)\b|"
    r"\bcut loose\b|\bdie on the hill (?:that|of|about)\b|\b(?:taking|take|took|takes) (?:my|"
    r"your|our) li(?:fe|ves) in (?:my|your|our) (?:own )?hands\b|\bat my wits end\b(?= (?:with|"
    r"over|trying|because|about))|\b(?:put|held|hold|holding) a gun to my head (?:i|and)\b",
    r"\b(?:that|this|it|those) (?:comment|remark|joke|line|song|part|one|movie|episode|scene|"
    r"roast|review|breakup|loss|lyric)? ?cuts? (?:me )?deep\b|\b(?:comment|remark|words|joke|"
    r"roast|lyrics?|line|scene) (?:\w+ )?cuts? (?:me )?deep\b",
    r"\bend(?:ing|ed)? (?:it all|it|things) with (?:the|my) (?:dvr|cable|netflix|hulu|"
    r"subscription|gym membership|phone plan|lease|contract)\b|\bend(?:ing)? (?:it all|it|things|"
    r"the night|the day|the week) with (?:a|the|my|some) (?:\w+ ){0,2}(?:plate|bowl|slice|pint|"
    r"piece|dessert|cake|pie|burger|pizza|tacos?|donuts?|milkshake|sundae|movie|bath|nap)\b|"
    r"\bpull(?:ed|ing)? the plug on "
    r"(?:the|that|this|our|my|a) (?!life\b|me\b|myself|it all|living)\w+",
    r"\b(?:kill|unalive|save) me from (?:this|these|the|my) (?:\w+ )?(?:call|meeting|class|"
    r"lecture|zoom|conference|webinar|shift|training)\b",
    r"\bif (?:i (?:have to|hear|see|get|read|sit through|fold|do|watch|listen to|type)|\w+ "
    r"(?:says|asks|sends|runs|plays)) [^|]{0,60}\bone more time\b[^|]{0,24}\b(?:die|perish|kms|"
    r"scream|lose it|unalive me)\b|\bkms if i have to\b|\b(?:unalive|kill|shoot) me if (?:the|i|"
    r"my|this|that|they|he|she|one more)\b|\bperish\w*\b",
    r"\bkill(?:ing)? (?:off )?(?:the )?(?:last of the )?(?:reports|emails|inbox|backlog|leftovers|"
    r"paperwork|chores|to do list)\b|\b(?:heat|humidity|weather|traffic|workout|class|job|boss|"
    r"kids|toddler|cold|sun|flu|allergies|pollen|homework|week) (?:is |)(?:finna|going to|about "
    r"to|bout to|will) take me out\b",
    r"\blast (?:one|man|person) (?:alive|standing) (?:in|on) (?:the|my|our) (?:squad|lobby|team|"
    r"game|match|round|server)\b|\b(?:not|isnt|aint) (?:a )?life or death\b",
    r"\bcut my (?:hand|finger|thumb|foot|knee|palm) on (?:the|a|some) (?:fence|wire|glass|can|"
    r"nail|metal|lid|grater|paper|rock|shell|tin)\b",
    r"\bkms\b(?= *\|? *(?:=|means|as in|aka)? *(?:kill my (?:sims?|character|vibe|plants?|"
    r"battery|buzz|phone)|keep(?:ing)? my|kinda missing|keep moving))",
    r"\b(?:bed|brain) ?rot(?:ting)?\b|\brot(?:ting)? in bed (?:with|w|watching|all day|today|"
    r"and|self care)\b",
    r"\b(?:say|said|saying|says|kiss|kissed|kissing|wave|waved) (?:good ?)?bye to (?:(?:the|my|"
    r"that|this|the old) )?(?:bottle|booze|alcohol|liquor|beer|drink|drinking|drugs|weed|dope|"
    r"meth|vape|nicotine|cigarettes|pills? habit|habit|hangovers?|using|old (?:life|me|self|"
    r"ways|habits))\b",
    r"\b(?:kiss|kissed|kissing) (?:the|my) (?:bottle|booze|pipe|vape|pills?|habit|old life) "
    r"(?:good ?)?bye\b",
    r"\b(?:gonna|going to|will|im going to) die if i (?:eat|drink|have|hear|see|watch|sit|do|"
    r"wait|get|dont get|miss|lose)\b",
    r"\bthought i was (?:gonna|going to|about to) die\b(?= (?:lol|lmao|haha|in (?:that|the) "
    r"(?:sauna|class|workout|cold|heat)|at (?:the|leg|spin|hot)|during (?:the|that) (?:workout|"
    r"class|hike|run)))",
)


def compile_idioms(extra: tuple[str, ...]) -> tuple[Filtered, ...]:
    """The default idiom patterns plus a program's plain-text idioms, each prefiltered."""
    from bot.domain.crisis.normalize import normalize

    own = [normalize(phrase) for phrase in extra]
    patterns = list(DEFAULT_IDIOMS) + list(SAYINGS) + [rf"\b{re.escape(p)}\b" for p in own if p]
    return tuple(Filtered.of(re.compile(p)) for p in patterns)


IDIOM_MARK = " idiom "


def blank(text: str, idioms: tuple[Filtered, ...]) -> str:
    """``text`` with every idiom replaced by a neutral word, clause marks kept."""
    for idiom in idioms:
        if idiom.may_match(text):
            text = idiom.pattern.sub(IDIOM_MARK, text)
    return re.sub(r" +", " ", text).strip()
