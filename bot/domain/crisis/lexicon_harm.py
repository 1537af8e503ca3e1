"""Rules for self-harm and for return to use combined with a wish to die. Same
conventions as ``lexicon_thoughts``."""

from __future__ import annotations

from bot.domain.crisis.lexicon_thoughts import SELF
from bot.domain.crisis.rules import Rule, rule

USE = (
    r"(?:use|using|used|drink|drinking|drank|get high|getting high|got high|shoot up|shooting "
    r"up|pick up|picking up|picked up|relapse|relapsing|relapsed|go out|going out|bender|"
    r"binge|smoke|smoking|slip|slipped|score|scoring|cop|copping|dope|fent|fentanyl|heroin|meth|"
    r"booze|liquor|vodka|whiskey|drugs)"
)
DEATH = (
    r"(?:die|dies|dead|dont wake up|not wake up|never wake up|wont wake up|kills? me|killed me|"
    r"stop breathing|end it|ending it|its over|be done|stop existing|take me|takes me|took me|"
    r"od|overdose|oding|overdosing|not come back|never come back|be gone|end everything|drop|"
    r"drop dead)"
)

SELF_HARM: tuple[Rule, ...] = (
    rule(
        "cut_myself",
        "self_harm",
        rf"\b(?:cut|cutting|cuts|carve|carving|carved|burn|burning|burned|burnt|scratch|"
        rf"scratching|scratched|hit|hitting|punch|punching|punched|bang|banging|hurt|hurting|harm|"
        rf"harming|slice|slicing|sliced|stab|stabbing|bruise|bruising|starve|starving|punish|"
        rf"punishing|punished|bite|biting|choke|choking) {SELF}\b(?! (?:\w+ ){{0,3}}(?:shaving|"
        r"cooking|chopping|on (?:a|the|some|my) (?:can|glass|knife|paper|nail|stove|pan|oven|"
        r"iron)|by accident|accidentally|opening|at (?:the gym|work)|lifting|working out|"
        r"playing|running|skating|falling|on the stairs|in the kitchen))",
    ),
    rule(
        "urge_to_cut",
        "self_harm",
        r"\b(?:want|wanna|wanted|wanting|urge|urges|urged|need|needing|craving|crave|itching|"
        r"tempted|thinking about|thought about|going|tried|trying|fighting the urge|resisting "
        r"the urge) (?:to |about )?(?:\w+ ){0,2}(?:cut|cutting|burn|burning|hurt|hurting|harm|"
        r"harming|sh|scratch|bleed|carve|hit|slice)(?: myself| me)?\b(?! (?:my (?:hair|bangs|nails|"
        r"losses|lawn|grass|food|meat|steak|hours|budget|spending|coffee|carbs|sugar|"
        r"hand cooking)|the|it|them|him|her|"
        r"people|carbs|sugar|back|ties|class|corners|down|out|a|some|off|you|this|that|loose|"
        r"in line|their)\b)",
        "S",
    ),
    rule(
        "self_harm_words",
        "self_harm",
        r"\bself (?:harm|harming|harmed|injury|injuring|injured|mutilat\w*|hurt|hurting)\b(?! "
        r"(?:awareness|prevention|resources|group|training|support|statistics|free|clean))",
        "S",
    ),
    rule(
        "sh_abbrev",
        "self_harm",
        r"\b(?:relapsed? (?:on|with|into) sh|sh (?:relapse|urges?|again|last night|today|tonight|"
        r"is bad|thoughts|scars?|wounds?|cuts?|rn|right now|bad)|(?:did|do|doing|want to|urge to|"
        r"urges to|might|going to|tempted to|relapse on|relapsed on|back to) sh)\b",
        "S",
    ),
    rule(
        "wounds",
        "self_harm",
        r"\b(?:fresh|new|bleeding|open|deeper) (?:cuts?|wounds?|burns?|scratches|marks)\b|\b(?:cut|"
        r"cutting|cuts|scars|burns|marks|carved|carving|bleeding) (?:on |into |up )?(?:my )?"
        r"(?:arms?|wrists?|thighs?|legs?|stomach|skin|hips?|ankles?)\b|\bcut (?:deep|deeper|too "
        r"deep)\b",
        "S",
    ),
    rule(
        "relapsed_cutting",
        "self_harm",
        r"\b(?:relapsed|relapse|relapsing) (?:on|with|into) (?:cutting|self harm|hurting myself|"
        r"burning|sh)\b|\b(?:cut|cutting|cut myself) again\b|\b(?:started|start|back to|went "
        r"back to) cutting\b|\bcut (?:again )?(?:tonight|last night|today|this morning)\b|\bi cut"
        r"(?= *(?:\||,|$))",
        "S",
    ),
    rule(
        "pain_on_purpose",
        "self_harm",
        r"\bwanted it to hurt\b|\bmake (?:myself|me) (?:bleed|hurt)\b|\bfeel the pain\b(?=.*"
        r"\b(?:cut|blade|burn|hit|myself)\b)|\buntil (?:it|i) (?:bled|bleeds|bleed)\b|\buntil my "
        r"(?:hand|knuckles|skin) (?:broke|bled|split)\b",
    ),
    rule(
        "blades",
        "self_harm",
        r"\b(?:got|have|bought|grabbed|holding|took out|found|hid|hiding|using|use|sharpened) "
        r"(?:a |my |the |some )?(?:new )?(?:blades?|razors?|razor blades?|box cutter|sharpener)\b",
        "C",
    ),
)

RELAPSE: tuple[Rule, ...] = (
    rule(
        "use_to_death",
        "relapse_ideation",
        r"\b(?:drink|drinking|use|using|drug|drugging|party|partying|smoke|smoking|shoot|"
        r"shooting) my ?self (?:to death|into the ground|into an early grave|dead)\b",
    ),
    rule(
        "use_until_dead",
        "relapse_ideation",
        rf"\b{USE} (?:\w+ ){{0,5}}(?:until|till|til|and hope|hoping|so|and just|and|to|then) "
        rf"(?:i |it |that i |im )?(?:just )?{DEATH}\b",
        "S",
    ),
    rule(
        "hope_it_kills",
        "relapse_ideation",
        r"\b(?:hope|hoping|pray|praying|wish|wishing|wish(?:es)? it had|"
        r"wish(?:es)? that) (?:that )?"
        r"(?:i |it |the next (?:one|hit|shot|batch|bag|line|pill|drink) |this (?:one|batch|bag|"
        r"time) |its |theres |the (?:dope|fent|batch|bag|stuff|shit) )?(?:od|overdose|die|kills? "
        r"me|killed me|doesnt wake|dont wake|never wake|is laced|has fent\w*|is fent\w*|is the one|"
        r"takes me|took me|finishes me|ends it|had killed me|would kill me|would have killed me)\b",
    ),
    rule(
        "dont_care_od",
        "relapse_ideation",
        r"\b(?:dont|do not|wont|didnt) (?:even )?care (?:if|whether|that) (?:i |it |its |theres |"
        r"the \w+ |this )?(?:od|overdose|oding|die|kills? me|stop breathing|wake up|dont wake up|"
        r"never wake up|laced|fent\w*|cut with|pressed|has fent\w*|is fent\w*|is laced|the last "
        r"one|happens to me)\b",
    ),
    rule(
        "might_as_well",
        "relapse_ideation",
        r"\bmight as well (?:use|drink|relapse|get high|pick up|go out|just use|just drink|be "
        r"dead|die|end it|od|overdose)\b",
    ),
    rule(
        "last_high",
        "relapse_ideation",
        r"\b(?:one|1|my) (?:last|final) (?:high|hit|bender|run|shot|bag|binge|time using|time "
        r"getting high|drink)\b",
        "C",
    ),
    rule(
        "no_point_sober",
        "relapse_ideation",
        r"\b(?:no point|whats the point|why bother|why even bother) (?:in |of )?(?:staying|being|"
        r"getting|trying to stay|trying to get|keeping|fighting to stay) (?:sober|clean)\b",
        "C",
    ),
    rule(
        "use_wish_dead",
        "relapse_ideation",
        rf"\b{USE}\b(?:[^|]{{0,60}})\b(?:want to die|wish i was dead|wish i were dead|"
        rf"better off dead|"
        r"deserve to die|kill myself|end it all|end my life|dont want to (?:live|be here|wake up)|"
        r"not wake up|never wake up)\b",
        "S",
    ),
)

HARM: tuple[Rule, ...] = SELF_HARM + RELAPSE
