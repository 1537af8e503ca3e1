"""The cue score: what no single phrase catches.

A means, a time, a goodbye, a request for help are each harmless alone ("the bridge",
"tonight", "thank you all"); together they are a plan. Each cue pattern counts at most
twice (two different matches); a message whose surviving cues weigh 2 or more fires,
with the category of its strongest family. Cues pass the same scope rules as phrases.
"""

from __future__ import annotations

import re

# Cue id, family (a category), weight, pattern. Each survives the same scope rules.
CUES: tuple[tuple[str, str, float, re.Pattern[str]], ...] = tuple(
    (cue_id, family, weight, re.compile(pattern))
    for cue_id, family, weight, pattern in (
        (
            "means",
            "method",
            1.0,
            r"\b(?:gun|pistol|firearm|revolver|shotgun|rope|noose|knot|cord|beam|rafters?|"
            r"bridge|train tracks|tracks|cliffs?|ledge|rooftop|roof(?! deck| garden| party| bar)|"
            r"overpass|top of the "
            r"(?:garage|building|parking \w+)|blades?|razors?|knife|car running|exhaust|lake|"
            r"river|belt|extension cord|bullets?|ammo|charcoal|helium|motel)\b",
        ),
        (
            "pills",
            "overdose_intent",
            1.0,
            r"\b(?:pills|tabs|bars|meds|medication|sleeping pills|percs|oxys?|xanax|fent|"
            r"fentanyl|benzos|insulin|tylenol|stash|stashed|whole bottle|the bottle|all [0-9]+|"
            r"shot|batch|copped|a ton|its enough|enough|"
            r"[0-9]+ of them|months? of)\b",
        ),
        (
            "goodbye",
            "plan_preparation",
            1.0,
            r"\b(?:goodbye|goodbyes|farewell|final check in|last check in|final message|last "
            r"message|consider this my (?:final|last)|whoever finds me|(?:wasnt|not) (?:your|"
            r"their|anyones|his|her) fault|tell (?:my \w+|them|her|him|everyone) (?:im sorry|i "
            r"love|i loved|i said)|im sorry for everything|please dont be mad|forgive me|who gets "
            r"what|instructions for|passwords|letters? (?:to|for)|wrote (?:my |a |out )?(?:\w+ )?"
            r"(?:letters?|notes?)|my will|made my peace|said my prayers|nothing left to (?:settle|"
            r"say|do)|where im going|not coming back|not coming home|not come back|never come back|"
            r"before i go|"
            r"wont need (?:it|them|this|my)|after (?:tonight|this weekend|this week|today)|or ever|"
            r"ever again|gave (?:\w+ ){0,3}(?:away|to my|to the)|left (?:my \w+ )?(?:\w+ )?with my|"
            r"returned everything|canceled|cancelled|bags are packed|(?:thank (?:you|u)|thanks) "
            r"(?:all )?for "
            r"(?:everything|trying|always|being there)|thank you all|love you all|love yall|i "
            r"love you guys|take care of (?:my|each other|yourselves)|dont worry about me|"
            r"wanted to thank|before i go|one last|last time|arrangements|beneficiar\w*|life "
            r"insurance|my belongings|at peace|see you on the other side|sorry for everything|"
            r"forgive me|love you (?:all|guys|yall)|dont be sad|be good to each other|"
            r"remember me|said (?:bye|goodbye)|(?:doesnt|didnt|dont|wont) know what (?:it|that) "
            r"meant|made (?:all )?(?:the )?arrangements|for my (?:cat|dog|kids|pets?)|(?:were|was|"
            r"are) the best (?:part|thing) (?:of|in) my life|so (?:nobody|no one) has to|paid off "
            r"(?:all )?(?:my )?(?:debts|bills)|cleaned (?:out )?my (?:apartment|room|house)|"
            r"deleted "
            r"(?:everything|all my|my accounts|my social)|(?:you|yall|"
            r"you all) (?:all )?mattered to me|"
            r"(?:wont|will not) be seeing (?:you|yall|anyone)|left (?:the |my )?(?:spare )?keys? "
            r"with|returned my|(?:make sure|please) (?:someone|somebody) (?:feeds|walks|takes care "
            r"of|looks after)|wont be (?:home|back|coming back)|(?:is|are) getting my (?:car|"
            r"savings|stuff|things|money|dog|cat)|(?:all|its all|everything is) written down|"
            r"given (?:my )?notice|(?:hell|shell|theyll|youll) know why|"
            r"emptied my (?:bank )?account|"
            r"transferred my (?:savings|money)|envelope for|vet (?:info|records|papers)|papers|"
            r"boxed up|labeled with (?:names|their names)|or any other day|house key|spare key|"
            r"my letters|the letters|no one goes|nobody goes)\b",
        ),
        (
            "now",
            "intent",
            0.5,
            r"\b(?:tonight|this weekend|right now|before anyone wakes|when (?:nobody|no one)s? "
            r"(?:home|around)|after work|after group|now|today)\b",
        ),
        (
            "doing_it",
            "intent",
            1.0,
            r"\b(?:do it|doing it|go through with it|end it|ending it|the means|the intent|i "
            r"know how|know exactly how|what i need|everything i need|have a plan|my plan|plan "
            r"is|the night|heading (?:out|there) (?:now|to do it)|on my way to|scoped (?:it )?out|"
            r"went and looked|"
            r"already went|in my (?:hand|lap|pocket|car|bag|drawer)|on the (?:bridge|ledge|roof|"
            r"tracks)|im (?:at|on) (?:the|a) (?:bridge|tracks|train tracks|ledge|overpass|cliff|"
            r"edge)|"
            r"ready to go|(?:heading|headed|driving) to the (?:lake|bridge|river|tracks|"
            r"cliffs?|"
            r"ocean|roof|overpass)|im in the (?:bathroom|garage|tub|woods)|time to go|its time|"
            r"im done|done done|"
            r"serious this time|not (?:be )?alive|not for fun|not to get high|on purpose|"
            r"wont be (?:here|around|alive|at)|make it "
            r"(?:past|through) (?:tonight|the night))\b",
        ),
        (
            "help_now",
            "intent",
            1.0,
            r"\b(?:need help (?:now|tonight|right now|asap|please)|help (?:me )?please|please "
            r"(?:call|check on) me|call me (?:asap|now|please|before)|check on me|im scared|"
            r"someone (?:call|help)|please help|help now|need help|sos)\b",
        ),
        (
            "thoughts",
            "active_ideation",
            1.0,
            r"\b(?:dying|dead|death|die|suicid\w*|the thoughts|those thoughts|dark thoughts|"
            r"end it all|not wake up|numb|hopeless|worthless|no way out|cant do this|give up|"
            r"giving up|the urge|urges|relapsed|used again|picked up)\b",
        ),
        (
            "harm",
            "self_harm",
            1.0,
            r"\b(?:cut|cutting|cuts|burned|burn|bleed|bleeding|blood|scars?|wounds?|sh)\b",
        ),
    )
)
