"""Rules for acts: method, plan and preparation, self-harm, overdose intent, and return to
use combined with a wish to die. Same conventions as ``lexicon_thoughts``."""

from __future__ import annotations

from bot.domain.crisis.lexicon_thoughts import SELF
from bot.domain.crisis.rules import Rule, rule

TAKE = (
    r"(?:take|taking|took|swallow\w*|down|downing|pop|popping|popped|chug\w*|eat|eating|ate|"
    r"gulp\w*|shoot|shooting|do|doing|use|using|snort\w*|inject\w*|slam|slamming)"
)
LOT = (
    r"(?:all (?:of )?(?:my|the|these|those|them|it|that)|all(?= (?:my|the))|the (?:whole|entire|"
    r"rest of (?:the|my)|full)|a (?:whole|full|entire) |(?:a )?(?:handful|fistful|bunch|shit ton|"
    r"ton|pile|ton) of|every(?:thing| last one| one| single one| pill)|my (?:whole|entire)|"
    r"(?:enough|so many|so much|way too many|way too much|too many|too much|as many as i can|"
    r"as much as i can|double|triple) ?)"
)
DRUG = (
    r"(?:pills?|meds|medications?|tablets|bars|xanax|oxy\w*|percs?|percocets?|tylenol|advil|"
    r"sleeping pills|benzos?|klonopin|seroquel|ambien|insulin|lithium|prescriptions?|script|"
    r"bottle|stash|dope|fent|fentanyl|heroin|gear|bag|bags|supply|everything|stuff|it|them|"
    r"methadone|suboxone|subs|morphine|sleep aids?|antidepressants?|at once)"
)
ROUTINE = (
    r"(?! (?:\w+ ){0,3}(?:today|this morning|this am|on time|as prescribed|like (?:im|i was|i am) "
    r"supposed|like a good|before bed|with (?:food|breakfast|dinner)|every (?:day|morning|night)|"
    r"for the (?:day|week)|to the pharmacy|back to|to my (?:doctor|appointment)|in my pill|"
    r"organizer|on schedule|to (?:storage|the storage|goodwill|the dump|the car|the truck|my "
    r"new place|the new place)))"
)
METHOD: tuple[Rule, ...] = (
    rule(
        "hang",
        "method",
        rf"\b(?:hang|hanging|hung) {SELF}\b|\bnoose\b|\b(?:tie|tied|tying|bought|buy|buying|got|"
        r"have|found|hide|hid) (?:a |the |some )?(?:rope|noose)\b|\b(?:the )?rope is (?:ready|"
        r"tied|up|calling)\b",
    ),
    rule(
        "shoot",
        "method",
        rf"\b(?:shoot|shooting|shot|blow|blowing) {SELF}\b|\b(?:gun|pistol|barrel|glock) (?:to|in|"
        r"against) my (?:head|mouth|temple|chest)\b|\bblow my (?:brains|head) (?:out|off)\b|"
        r"\beat (?:a|my) (?:bullet|gun)\b",
    ),
    rule(
        "gun_access",
        "method",
        r"\b(?:bought|buy|buying|got|getting|picked up|have|loaded|load|holding|cleaning|took "
        r"out|found) (?:a |my |the |his |dads |uncles )?(?:gun|pistol|firearm|shotgun|handgun|"
        r"rifle|bullets?|ammo)\b",
        "C",
    ),
    rule(
        "jump",
        "method",
        r"\b(?:jump|jumping|jumped|leap|leaping|throw myself|step|stepping|walk|walking|fall|"
        r"falling) (?:off|from|in front of|into|onto|out of|out) (?:a |the |this |that |my )?"
        r"(?:bridge|building|roof|rooftop|overpass|cliff|balcony|train|car|truck|bus|ledge|"
        r"parking (?:garage|deck)|window|highway|traffic|freeway|tracks|subway|river)\b",
        "S",
    ),
    rule(
        "on_the_edge",
        "method",
        r"\b(?:im|i am|standing|sitting|parked|at the top of|on the edge of|on top of) (?:on |at "
        r"|by |near )?(?:the |a |this )?(?:bridge|ledge|roof|rooftop|tracks|railroad|overpass|"
        r"cliff|edge of the (?:roof|bridge|cliff))\b",
        "C",
    ),
    rule(
        "crash",
        "method",
        r"\b(?:drive|driving|drove|crash|crashing|swerve|swerving|steer|steering|wreck|wrecking|"
        r"floor it|flooring it) (?:my (?:car|truck) |it )?(?:into|off|head on into) (?:a |the |"
        r"an )?(?:tree|wall|pole|bridge|cliff|oncoming|traffic|river|lake|guardrail|semi|median|"
        r"ditch|road|overpass|barrier|pillar|embankment|truck)\b",
        "S",
    ),
    rule(
        "wrists",
        "method",
        r"\b(?:slit|slice|slash|cut|cutting|open|opening|slitting|slicing) (?:my |open my )?"
        r"(?:wrists?|throat|veins|arteries|neck)\b",
    ),
    rule(
        "other_means",
        "method",
        rf"\b(?:drown|drowning|suffocate|suffocating|poison|poisoning|gas|gassing|electrocute|"
        rf"electrocuting|stab|stabbing|starve|starving|bleed|bleeding) {SELF}\b|\bcarbon "
        r"monoxide\b|\bexhaust (?:pipe|fumes)\b|\bcar running in the garage\b|\bbag over my "
        r"head\b|\bhelium\b",
    ),
    rule(
        "how_many",
        "method",
        r"\bhow (?:many|much) (?:\w+ ){0,4}(?:would it take|does it take|it would take|it takes|"
        r"is (?:lethal|fatal|too much|enough to)|would (?:kill|be lethal|be fatal|be enough)|to "
        r"(?:die|kill (?:me|a person|someone)|not wake up|od|overdose|be lethal|end it|stop "
        r"(?:my|your|a) heart)|(?:would|will) (?:stop|end))\b|\blethal (?:dose|amount)\b|"
        r"\b(?:looked|looking|look|searched|searching|googled|googling|research\w*) (?:up )?"
        r"(?:\w+ ){0,2}(?:painless|quickest|easiest|fastest|best) (?:ways?|methods?)\b|"
        r"\b(?:painless|quick|easy) (?:way|ways|method) to (?:die|go|end it)\b",
        "S",
    ),
    rule(
        "means_calling",
        "method",
        r"\b(?:the|that|this) (?:bridge|train tracks|tracks|roof|overpass|river|cliff|ledge|pills|"
        r"rope|gun|razor|blade|water|highway|train|bottle) (?:is |are |keeps |keep |has been |"
        r"have been |looks? |looking |been |)(?:calling|looking (?:good|better|nice|tempting|"
        r"peaceful|inviting|real good)|tempting|inviting|calling my name)\b",
    ),
    rule(
        "how_id_do_it",
        "method",
        r"\b(?:how|where|when) (?:i would|id|ill|i will|im going to|i could|i should|to) (?:do "
        r"it|end it|go|kill|die|jump|hang|off)\b(?! (?:to|for|with))",
        "C",
    ),
    rule(
        "blade_self",
        "method",
        r"\b(?:knife|blade|razor|razors|blades|glass|scissors) (?:to|on|against|across|into) my "
        r"(?:wrists?|throat|skin|arms?|neck|thighs?|legs?)\b|\bknife my ?self\b",
    ),
)

OVERDOSE: tuple[Rule, ...] = (
    rule(
        "od_on_purpose",
        "overdose_intent",
        r"\b(?:od|overdose|oding|overdosing|oded|overdosed) (?:on purpose|intentionally|"
        r"deliberately|for good|and (?:never|not) wake|tonight|and die|and be done|and end it|"
        r"so i|to end|to die|and not)\b|\b(?:take|taking|took) an overdose\b",
    ),
    rule(
        "want_to_od",
        "overdose_intent",
        r"\b(?:want(?:ed)? to|going to|about to|ready to|thinking (?:about|of)|thought (?:about|"
        r"of)|plan(?:ning)? (?:to|on)|might|should|just|will|ill|try to|trying to|decided to|"
        r"hope i|hoping i|wish i would|wish i could|wish(?:es)? id|wish(?:es)? i had|gonna|could "
        r"just|intend to|tempted to|urge to|feel like|i|im|ill|could|would|gotta|need to|"
        r"bout to|finna) (?:just |purposely )?(?:od|overdose|oding|"
        r"overdosing|overdosed|oded)\b",
        "S",
    ),
    rule(
        "take_them_all",
        "overdose_intent",
        rf"\b{TAKE} (?:it |them )?{LOT}(?: ?\w+){{0,2}}? ?{DRUG}\b{ROUTINE}",
        "S",
    ),
    rule(
        "take_it_all",
        "overdose_intent",
        rf"\b{TAKE} (?:it|them|everything|everything i (?:have|got)(?: left)?|all of it|the lot) "
        r"(?:all )?"
        r"(?:at once|tonight|in one go|together|and (?:go|sleep|be done|not wake))\b",
    ),
    rule(
        "enough_to",
        "overdose_intent",
        r"\b(?:enough|so much|so many|a lot of|as much as i can|as much as possible|everything|"
        r"all of it|it all|the whole \w+|way too much|too much) (?:\w+ ){0,4}(?:to (?:not wake up|"
        r"never wake up|die|end it|stop my heart|make it stop|kill me|be done|od|overdose|not come "
        r"back|sleep forever|go to sleep for good|finish it|do it)|(?:so (?:that )?)?i (?:dont|"
        r"wont|"
        r"never|cant) (?:wake|come back|feel))\b",
    ),
    rule(
        "sleep_for_good",
        "overdose_intent",
        r"\b(?:go to sleep|sleep|fall asleep|pass out|nod off|nod out) (?:for good|forever|"
        r"permanently|for the last time)\b",
    ),
    rule("hot_shot", "overdose_intent", r"\bhot ?shot\b", "S"),
    rule(
        "mix_to_end",
        "overdose_intent",
        r"\b(?:mix|mixing|combine|combining|take|taking) (?:\w+ ){0,4}(?:and|with) (?:\w+ ){0,3}"
        r"(?:to|and) (?:end it|die|not wake up|be done|never wake|go to sleep for good)\b",
    ),
    rule(
        "pills_out",
        "overdose_intent",
        r"\b(?:have|got|lined up|counted|counting|sorted|laid out|poured|pouring) (?:\w+ )?"
        r"(?:all )?(?:the |my |of my )?(?:pills|meds|bars|tablets) (?:out|lined up|in front of "
        r"me|counted|ready|right here|next to me|in my hand)\b",
    ),
)

PLAN: tuple[Rule, ...] = (
    rule(
        "note",
        "plan_preparation",
        r"\b(?:goodbye|suicide|final|last|farewell|goodby) (?:notes?|letters?|messages?|texts?|"
        r"videos?|posts?)\b(?! (?:from|got|was|in|here|said|to (?:the|my) (?:landlord|boss)))|"
        r"\b(?:wrote|written|writing|write|left|leave|leaving|finished|drafted|drafting) "
        r"(?:\w+ )?(?:notes?|letters?) (?:to|for) (?:each of|everyone|everybody|all of|my "
        r"(?:kids|family|daughter|son|wife|husband|mom|parents|children|people|loved ones))\b",
        "S",
    ),
    rule(
        "giving_away",
        "plan_preparation",
        r"\b(?:giv\w*|gave|given) (?:\w+ ){0,4}away\b|\b(?:gave|given|giving) (?:away )?(?:all )?"
        r"(?:of )?my (?:stuff|things|belongings|possessions|pets?|dog|cat|guitar|tools|clothes|"
        r"shit|xbox|ps5|car|truck|jewelry|collection) (?:away )?to\b",
        "SC",
    ),
    rule(
        "wont_need",
        "plan_preparation",
        r"\b(?:wont|will not|dont|not going to|wouldnt) (?:be )?need(?:ing)? (?:it|them|this|these|"
        r"that|those|my \w+|any of (?:it|this|my \w+)|it all|anything|stuff|things) ?(?:anymore|"
        r"any more|where im going|much longer|after (?:this|tonight|today)|soon|for long)?"
        r"(?= *(?:\||,|$))|\bwont need (?:it|them|my \w+) (?:anymore|any more|where im going)",
        "C",
    ),
    rule(
        "pet_after_gone",
        "plan_preparation",
        r"\b(?:take care of|look after|watch|feed|take|adopt|keep|love) my (?:\w+ )?(?:dog|cat|"
        r"cats|dogs|kids|pets?|plants|fish|bird|kid|son|daughter|babies|boy|girl|puppy|kitten) "
        r"(?:\w+ ){0,3}(?:when|after|once|if|since) (?:im|i am|i|i will|ill) (?:gone|not here|no "
        r"longer|die|dead|wont|cant|not around|be gone)\b|\bcan (?:someone|somebody|anyone|you) "
        r"(?:take|adopt|keep) my (?:cat|dog|pets?|kids|fish)\b",
    ),
    rule(
        "goodbye_final",
        "plan_preparation",
        r"\b(?:goodbye|bye|farewell) (?:forever|for good|for real|world|cruel world|for the last "
        r"time|everyone forever)\b|\b(?:this is|consider this|heres|here is|its|this is my) "
        r"(?:my )?(?:goodbye|farewell|last goodbye)\b|"
        r"\bsay(?:ing)? (?:my )?goodbyes?\b(?! to (?:my |the |our |this )?(?:old|apartment|house|"
        r"place|job|city|town|summer|year|week))|\bsaid "
        r"(?:my )?goodbyes\b",
        "S",
    ),
    rule(
        "goodbye_everyone",
        "plan_preparation",
        r"\b(?:goodbye|bye|farewell|love you) (?:everyone|everybody|all|yall|you all|guys|friends|"
        r"all of you|group)\b|\bthank (?:you|u) (?:all |everyone |guys )?for everything\b",
        "C",
    ),
    rule(
        "last_checkin",
        "plan_preparation",
        r"\b(?:this|that|it|today|tonight)? ?(?:is|was|will be|ll be|might be|s) (?:my )?"
        r"(?:last|final) (?:check in|message|post|time (?:you|ill|i)|goodbye|night|day on earth|"
        r"day alive)\b(?! (?:before|until|for (?:a|the|this)|of (?:the|this)|in (?:the|this) "
        r"program|here before|as a|with (?:the|this)|at))|\b(?:wont|will not|not going to) be "
        r"(?:checking in|posting|messaging|coming (?:back|to group)) (?:anymore|any more|again|"
        r"ever again)\b",
        "S",
    ),
    rule(
        "affairs_in_order",
        "plan_preparation",
        r"\b(?:put|putting|get|getting|got|have|set|setting) (?:all )?my (?:affairs|things|stuff|"
        r"life|house|papers) in order\b|\b(?:wrote|writing|updated|made|finished|signed) my will\b|"
        r"\b(?:made|making|make|at) (?:my )?peace (?:with (?:it|everything|god|dying|my decision|"
        r"this))?(?= *(?:\||,|$))|\bupdated my (?:life insurance|beneficiar\w*)\b",
        "C",
    ),
    rule(
        "have_a_plan",
        "plan_preparation",
        r"\b(?:have|got|made|making|figured out|worked out|came up with|i have) (?:a |the |my )"
        r"(?:plan|way|date|method)(?: now| already| ready| figured out| in place)?"
        r"(?= *(?:\||,|$))|\b(?:have|got|made|figured out) (?:a |the |my )?plan (?:to|for how to|"
        r"for|on how to) (?:end|kill|die|do it|od|overdose|hang|jump|not wake|take my|it|when|how)"
        r"\b|\b(?:know|figured out|decided|worked out|picked|chose|have) (?:exactly |already )?"
        r"(?:how|when|where) (?:ill|im going to|i will|i would|id|to|i am going to|i want to) "
        r"(?:do it|end it|kill|die|go|jump|hang)\b",
        "S",
    ),
    rule(
        "picked_date",
        "plan_preparation",
        r"\b(?:picked|chose|set|chosen|choose|pick|decided on|settled on) (?:a |the |my )?(?:date|"
        r"day|time|spot|place|location|method|bridge)\b",
        "C",
    ),
    rule(
        "stockpile",
        "plan_preparation",
        r"\b(?:saving|saved|stockpil\w*|hoard\w*|stash\w*|collect\w*|been keeping|kept|storing|"
        r"hiding|hid|holding onto|squirrel\w* away) (?:up )?(?:\w+ ){0,3}(?:pills|meds|medication|"
        r"xanax|bars|oxy\w*|percs|sleeping pills|tablets|scripts?|benzos|seroquel|klonopin)\b|"
        r"\b(?:pills|meds|bars|benzos|tablets|oxys?|percs) (?:\w+ )?(?:stashed|saved up|hidden|"
        r"stockpiled|put away)\b",
        "S",
    ),
    rule(
        "bought_means",
        "plan_preparation",
        r"\b(?:bought|buy|buying|got|ordered|picked up) (?:a |some |the |more )?(?:rope|noose|"
        r"razor blades|blades|charcoal|helium|rat poison|antifreeze)\b",
        "S",
    ),
)

ACTS: tuple[Rule, ...] = METHOD + OVERDOSE + PLAN
