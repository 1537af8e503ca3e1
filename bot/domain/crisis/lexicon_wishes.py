"""Wishes to be dead in their many everyday forms (not wanting to exist, hoping something
happens, waiting to die, angry at being revived, asking God to take one), then a few
plain active forms (Spanish, "someone kill me"). Same conventions as
``lexicon_thoughts``; the detector reads these right after ``lexicon_more``."""

from __future__ import annotations

from bot.domain.crisis.rules import Rule, rule

R = r"[^|,]{0,40}?"  # a few words within the clause

WISHES: tuple[Rule, ...] = (
    rule(
        "not_wanting_exist",
        "passive_ideation",
        r"\bnot (?:wanting|want|wanna|wishing) to (?:exist|be alive|live|be here|wake up)\b|"
        r"\b(?:is|was) to not (?:be alive|exist|be here|wake up|live)\b",
    ),
    rule(
        "hope_something_happens",
        "passive_ideation",
        r"\b(?:hoping|hope|wish|wishing|praying|pray) (?:that )?(?:something|someone|somebody|a "
        r"(?:car|truck|bus|train|drunk driver)) (?:\w+ ){0,2}(?:happens to|hits|kills|takes|runs "
        r"over|would hit|would kill|ends) me\b",
    ),
    rule(
        "wouldnt_mind",
        "passive_ideation",
        r"\b(?:wouldnt (?:mind|care|be (?:so )?bad|be the worst)|be (?:ok|okay|fine|relieved|at "
        rf"peace)|welcome it|be (?:so much |a lot )?(?:easier|better|a relief))\b{R}\b(?:if|"
        rf"when)\b{R}\b(?:died|die|dead|stopped|didnt wake up|wasnt alive|wasnt here|gone|took "
        r"me|passed|hit me|never woke up)\b|\bif (?:i|my heart|god|somebody|someone)\b"
        rf"{R}\b(?:died|die|dead|stopped|took me|hit me|wasnt alive|gone)\b{R}\b(?:wouldnt "
        r"mind|wouldnt care|be ok|be fine|be okay|be a relief|be easier|not be so bad|wouldnt "
        r"be so bad|id be fine|id be ok)\b|\bwouldnt care if i died\b",
    ),
    rule(
        "why_still_here",
        "passive_ideation",
        r"\b(?:dont know|idk|not sure) why (?:im|i am|i) (?:still )?(?:here|alive|living|"
        r"breathing|exist)\b|\bwhy (?:he|god|they) (?:keeps|kept|keep) me (?:here|alive)\b",
    ),
    rule(
        "death_relief",
        "passive_ideation",
        r"\b(?:dying|death|being dead|not existing|not being alive|not being here|not waking up|"
        r"ending it|never waking up) (?:would be|sounds|seems|feels|looks|is|would feel) (?:\w+ )?"
        r"(?:a relief|peaceful|nice|good|better|easier|like (?:a relief|peace|freedom|the answer|"
        r"the only way|relief|rest)|the answer|the only way|freeing|tempting|appealing|"
        r"restful)\b",
    ),
    rule(
        "waste_of_space",
        "passive_ideation",
        r"\b(?:im|i am|feel like|just|such) (?:a |such a |just a )?waste of (?:space|air|oxygen|"
        r"life|a life|skin)\b|\bjust taking up (?:space|air|oxygen)\b|\b(?:the world|nobody|no "
        r"one|everyone|my family|they) (?:doesnt|dont|wont|wouldnt) (?:need|want) me(?: here|"
        r" around| anymore| alive)?(?= *(?:\||,|$))",
    ),
    rule(
        "not_meant_alive",
        "passive_ideation",
        r"\b(?:dont think|not sure) (?:im|i am|i was|i was ever) meant to (?:be alive|be here|"
        r"live|exist)\b|\bwasnt meant to (?:be alive|survive|live|be here)\b",
    ),
    rule(
        "waiting_to_die",
        "passive_ideation",
        r"\bwaiting (?:to die|for (?:death|the end|it to end|my time|it all to end))\b",
    ),
    rule(
        "mad_revived",
        "passive_ideation",
        r"\b(?:mad|angry|pissed|upset|wish) (?:that )?(?:they|he|she|someone|somebody|you|the "
        r"\w+|nobody|no one) (?:\w+ )?(?:narcanned|revived|saved|brought me back|found me|"
        r"hadnt (?:found|saved|narcanned)|didnt (?:find|save))\b|\bwish(?:es)? (?:id|i had|i "
        r"would have) (?:just )?(?:died|never woken|not woken|stayed dead|not survived|overdosed|"
        r"oded)\b",
    ),
    rule(
        "god_take_me",
        "passive_ideation",
        r"\b(?:god|lord|jesus|he|him) (?:to )?(?:would |will |could )?(?:just )?(?:take me|call "
        r"me home|bring me home|let me die|take me home|let me go)\b|\b(?:going|go|ready to go) "
        r"home to (?:the lord|god|jesus|heaven)\b|\b(?:ready to|want to|cant wait to) (?:go "
        r"home|go be with|meet) (?:to )?(?:the lord|god|jesus|my maker)\b|\b(?:id rather|want "
        r"to|i want to) be with (?:him|god|jesus|the lord)\b|\bim ready whenever he is\b",
    ),
    rule(
        "no_point_alive",
        "passive_ideation",
        r"\bpoint (?:in |of )?(?:\w+ ){0,4}(?:staying alive|being alive|living|existing|waking "
        r"up)\b|\b(?:my life|life|everything) (?:has|have) no (?:point|purpose|meaning)\b",
    ),
    rule(
        "rather_dead_than",
        "passive_ideation",
        r"\b(?:rather|prefer to) (?:be dead|die|not exist|not wake up) than (?:keep|feel|live|"
        r"do another|go on|be like this|deal with|wake up|face|be here|stay|continue|go back|"
        r"relapse|use|be)\b",
    ),
    rule(
        "spanish",
        "active_ideation",
        r"\b(?:quiero morir(?:me)?|me quiero morir|quisiera morir|no quiero vivir|matarme|me voy "
        r"a matar|quitarme la vida|no quiero despertar|quisiera no despertar|cansad[oa] de vivir|"
        r"ya no quiero estar aqui|mejor muert[oa]|acabar con (?:todo|mi vida))\b",
    ),
    rule(
        "kill_me_now",
        "active_ideation",
        r"\b(?:wish|want|need) (?:someone|somebody|something|god) (?:to|would) (?:just )?kill "
        r"me\b",
    ),
)
