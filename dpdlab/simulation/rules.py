"""Decisions of the crisis simulation: is each one complete (its form), and does it keep the exercise's rules?

Both are plain functions of the decision variables as data (dicts, lists, text, numbers), so the same code
serves the visible checks in the student's notebook, the hidden tests in the grader's checker and the
instructor's debrief, which reads decisions from submitted notebooks without running them.

* :func:`form_problems` lists what keeps a decision from being complete: a missing key, a value of the wrong
  kind or outside its menu, an empty or over-long text. :func:`check_decision` turns the first problem into
  a visible check's hint.
* :func:`breaches` lists the rules of the exercise (:data:`dpdlab.simulation.text.RULES`) that a stage's
  decisions break, each with a message. The rules are stated in the notebook before the exercise starts;
  they make checkable what a tabletop can check (who cleared what, what a post contains, when it went out),
  and leave the quality of the decisions to the after-action report.

Two checks read the posts' texts, with simple patterns: :func:`quotes_claim` (the claim's hashtag or six
words in a row of its wording) and :func:`mentions_casualty_figure` (a number followed within three words by
a word for the dead, in Spanish, English or Portuguese). They catch the usual slips, not every paraphrase;
the elements a team lists are checked too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, Mapping

from dpdlab.simulation import scenario
from dpdlab.simulation.text import MESSAGES, RULES

TEAM_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,39}$")
_DEAD = re.compile(r"\b\d+\s+(?:\S+\s+){0,3}?(?:dead|deaths?|died|killed|fatalit\w*|muert\w*|fallec\w*|"
                   r"v[ií]ctimas?\s+mortales|mort[oa]s?|óbitos?|falecid\w*)", re.IGNORECASE)
_WORD = re.compile(r"\w+")
MAX_KEYWORDS = 200  # per rule: enough for three languages, few enough to match quickly


@dataclass(frozen=True)
class Breach:
    """A rule of the exercise broken by a decision."""

    rule: str
    stage: int
    decision: str
    message: str


# --- form -------------------------------------------------------------------------------------------------

def _kind(value: Any) -> str:
    return "None (nothing assigned yet)" if value is None else f"a {type(value).__name__}"


def _is_int(value: Any) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _choices(name: str, key: str, value: Any, allowed: tuple[str, ...], empty_ok: bool = False) -> list[str]:
    if not isinstance(value, (list, tuple)):
        return [MESSAGES["not_list"].format(name=name, key=key, value=value)]
    if not value and not empty_ok:
        return [MESSAGES["empty_list"].format(name=name, key=key)]
    problems = []
    for item in value:
        if not isinstance(item, str) or item not in allowed:
            problems.append(MESSAGES["not_allowed"].format(name=name, key=key, value=item,
                                                           allowed=", ".join(allowed)))
    seen = [item for item in value if isinstance(item, str)]
    for item in sorted({item for item in seen if seen.count(item) > 1}):
        problems.append(MESSAGES["duplicate"].format(name=name, key=key, value=item))
    return problems


def _text(name: str, key: str, value: Any, limit: int, empty_ok: bool = False) -> list[str]:
    if not isinstance(value, str):
        return [MESSAGES["not_text"].format(name=name, key=key, value=value)]
    if not value.strip():
        return [] if empty_ok else [MESSAGES["empty_text"].format(name=name, key=key)]
    if value.strip() == scenario.PLACEHOLDER:
        return [MESSAGES["placeholder"].format(name=name, key=key)]
    if len(value) > limit:
        return [MESSAGES["too_long"].format(name=name, key=key, length=len(value), limit=limit)]
    return []


def _whole(name: str, key: str, value: Any, low: int, high: int) -> list[str]:
    if not _is_int(value):
        return [MESSAGES["not_int"].format(name=name, key=key, value=value)]
    if not low <= value <= high:
        return [MESSAGES["out_of_range"].format(name=name, key=key, value=value, low=low, high=high)]
    return []


def _team_roles(name: str, value: Any) -> list[str]:
    if not isinstance(value, dict):
        return [MESSAGES["not_dict"].format(name=f"{name}['roles']", kind=_kind(value))]
    allowed = scenario.ROLES + scenario.OPTIONAL_ROLES
    problems = [MESSAGES["role_unknown"].format(name=name, role=role, allowed=", ".join(allowed))
                for role in value if role not in allowed]
    for role in scenario.ROLES:
        if role not in value:
            problems.append(MESSAGES["role_missing"].format(name=name, role=role))
    for role, person in value.items():
        if role in allowed and (not isinstance(person, str) or not person.strip() or len(person) > 80):
            problems.append(MESSAGES["role_name"].format(name=name, role=role, value=person))
        elif role in allowed and person.strip() == scenario.PLACEHOLDER:
            problems.append(MESSAGES["placeholder"].format(name=f"{name}['roles']", key=role))
    return problems


def _rules(name: str, value: Any) -> list[str]:
    if not isinstance(value, (list, tuple)) or not value:
        return [MESSAGES["not_list"].format(name=name, key="rules", value=value)]
    if len(value) > scenario.MAX_RULES:
        return [MESSAGES["rules_count"].format(name=name, count=len(value), limit=scenario.MAX_RULES)]
    problems = []
    for index, item in enumerate(value):
        ok = (isinstance(item, (list, tuple)) and len(item) == 2 and _is_int(item[0]) and 1 <= item[0] <= 4
              and isinstance(item[1], (list, tuple)) and 0 < len(item[1]) <= MAX_KEYWORDS
              and all(isinstance(word, str) and 0 < len(word.strip()) <= 60 for word in item[1]))
        if not ok:
            problems.append(MESSAGES["rules_shape"].format(name=name, index=index, value=item))
    return problems


def _reply_posts(name: str, value: Any) -> list[str]:
    if not isinstance(value, (list, tuple)) or not 1 <= len(value) <= scenario.MAX_REPLY_POSTS:
        count = len(value) if isinstance(value, (list, tuple)) else 0
        return [MESSAGES["posts_count"].format(name=name, limit=scenario.MAX_REPLY_POSTS, count=count)]
    problems = []
    menus = {"timing": scenario.TIMING_KEYS, "frame": scenario.FRAME_KEYS, "language": scenario.LANGUAGES}
    for index, post in enumerate(value):
        if not isinstance(post, dict) or set(post) != set(menus):
            problems.append(MESSAGES["post_not_dict"].format(name=name, index=index))
            continue
        for field, allowed in menus.items():
            if post[field] not in allowed:
                problems.append(MESSAGES["post_field"].format(name=name, index=index, field=field,
                                                              value=post[field], allowed=", ".join(allowed)))
    return problems


def _value_problems(name: str, key: str, kind: str, value: Any) -> list[str]:
    if kind == "int":
        return _whole(name, key, value, 0, 1440)
    if kind == "bool":
        return [] if isinstance(value, bool) else [MESSAGES["not_bool"].format(name=name, key=key, value=value)]
    if kind == "languages":
        return _choices(name, key, value, scenario.LANGUAGES)
    if kind == "correction_languages":  # a correction not issued has none
        return _choices(name, key, value, scenario.LANGUAGES, empty_ok=True)
    if kind == "elements":
        return _choices(name, key, value, scenario.ELEMENT_KEYS)
    if kind == "roles":
        return _choices(name, key, value, scenario.ROLES + scenario.OPTIONAL_ROLES)
    if kind == "role":
        allowed = scenario.ROLES + scenario.OPTIONAL_ROLES
        return [] if value in allowed else [MESSAGES["not_allowed"].format(name=name, key=key, value=value,
                                                                           allowed=", ".join(allowed))]
    if kind == "post_text":
        return _text(name, key, value, scenario.POST_LIMIT)
    if kind == "answer_text":
        return _text(name, key, value, scenario.ANSWER_LIMIT)
    if kind == "correction_text":
        return _text(name, key, value, scenario.POST_LIMIT, empty_ok=True)
    if kind == "team_id":
        return [] if isinstance(value, str) and TEAM_ID.match(value) else [
            MESSAGES["bad_team_id"].format(name=name, value=value)]
    if kind == "role_names":
        return _team_roles(name, value)
    if kind == "rules":
        return _rules(name, value)
    if kind == "order":
        return [] if value in scenario.ORDERS else [MESSAGES["not_allowed"].format(
            name=name, key=key, value=value, allowed=", ".join(scenario.ORDERS))]
    if kind == "staff":
        return _whole(name, key, value, 1, scenario.STAFF_BUDGET)
    if kind == "monitors":
        return _whole(name, key, value, 0, scenario.STAFF_BUDGET)
    if kind == "share":
        if not _is_number(value):
            return [MESSAGES["not_number"].format(name=name, key=key, value=value)]
        return [] if 0 <= value <= 1 else [MESSAGES["out_of_range"].format(name=name, key=key, value=value,
                                                                           low=0, high=1)]
    if kind == "burst":
        return _whole(name, key, value, 1, 1000)
    if kind == "detector_rule":
        return [] if value in scenario.DETECTOR_RULES else [MESSAGES["not_allowed"].format(
            name=name, key=key, value=value, allowed=", ".join(scenario.DETECTOR_RULES))]
    if kind == "reply_posts":
        return _reply_posts(name, value)
    if kind == "figure":
        if value is None:
            return []
        return _whole(name, key, value, 0, 100_000)
    raise ValueError(f"unknown kind {kind!r}")  # pragma: no cover - a mistake in DECISIONS


def form_problems(name: str, value: Any) -> list[str]:
    """What keeps the decision ``name`` (a variable of :data:`~dpdlab.simulation.scenario.DECISIONS`) from
    being complete; empty when it is complete."""
    spec = scenario.DECISIONS[name]
    if not isinstance(value, dict):
        return [MESSAGES["not_dict"].format(name=name, kind=_kind(value))]
    problems = [MESSAGES["unknown_key"].format(name=name, key=key) for key in value if key not in spec]
    for key, kind in spec.items():
        if key not in value:
            problems.append(MESSAGES["missing_key"].format(name=name, key=key))
        else:
            problems += _value_problems(name, key, kind, value[key])
    if name == "q6_correction" and not problems and value["issue"]:
        problems += _text(name, "text", value["text"], scenario.POST_LIMIT)
        if not value["languages"]:
            problems.append(MESSAGES["empty_list"].format(name=name, key="languages"))
    return problems


def check_decision(**decisions: Any) -> None:
    """Visible check: raise :class:`~dpdlab.checks.CheckFailed` with the first form problem of the given
    decisions (``q1_first_post=...``) as the hint; return quietly when every one is complete."""
    from dpdlab.checks import CheckFailed

    for name, value in decisions.items():
        problems = form_problems(name, value)
        if problems:
            raise CheckFailed(name, problems[0])


def complete(decisions: Mapping[str, Any], names: tuple[str, ...] | list[str]) -> tuple[bool, str]:
    """Whether all of ``names`` are in ``decisions`` and complete; and the first thing still to do."""
    for name in names:
        if name not in decisions:
            return False, MESSAGES["not_dict"].format(name=name, kind=_kind(None))
        problems = form_problems(name, decisions[name])
        if problems:
            return False, problems[0]
    return True, ""


def checked_later(stage_number: int) -> str:
    """The line a rules check prints: which rules of the stage are checked when graded."""
    s = scenario.stage(stage_number)
    return MESSAGES["check_later"].format(name=", ".join(s.decisions), rules=", ".join(s.rules))


# --- texts --------------------------------------------------------------------------------------------------

def _words(text: str) -> list[str]:
    return _WORD.findall(str(text).lower())


def quotes_claim(text: Any, run: int = 6) -> bool:
    """True when ``text`` uses the claim's hashtag or repeats ``run`` words in a row of its wording."""
    lowered = str(text).lower()
    if scenario.CLAIM_HASHTAG.lower().lstrip("#") in lowered.replace(" ", ""):
        return True
    claim = _words(scenario.CLAIM_TEXT.replace(scenario.CLAIM_HASHTAG, ""))
    words = _words(text)
    runs = {tuple(claim[i:i + run]) for i in range(len(claim) - run + 1)}
    return any(tuple(words[i:i + run]) in runs for i in range(len(words) - run + 1))


def mentions_casualty_figure(text: Any) -> bool:
    """True when ``text`` gives a number of dead (a number followed within three words by 'dead', 'muertos',
    'mortos', …)."""
    return bool(_DEAD.search(str(text)))


def gives_figure(post: Mapping[str, Any]) -> bool:
    """A post or answer that gives a casualty figure: by its elements, its text or its ``casualty_figure``."""
    return ("casualty_figure" in post.get("elements", ()) or mentions_casualty_figure(post.get("text", ""))
            or post.get("casualty_figure") is not None)


# --- rules --------------------------------------------------------------------------------------------------

def _urgent_recall(rules: list) -> float:
    """Share of the first six hours' life-and-safety requests that ``rules`` put in priority 1."""
    from dpdlab.crises.analysis import keyword_triage
    from dpdlab.data import load_dataset

    requests = load_dataset("consular_requests_simulated")
    early = requests[requests["minute"] < scenario.TRIAGE_WINDOW_MINUTES]
    urgent = early[early["priority"] == 1]
    predicted = keyword_triage(list(urgent["text"]), [(int(p), list(words)) for p, words in rules])
    return sum(p == 1 for p in predicted) / len(urgent)


def _posts_of(decisions: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """The posts (and the answer) among ``decisions``, by name; an unissued correction is no post."""
    found = []
    for name in ("q1_first_post", "q3_response", "q5_answer", "q6_correction"):
        value = decisions.get(name)
        if value is not None and not (name == "q6_correction" and not value.get("issue")):
            found.append((name, value))
    return found


def _rule_breaches(rule: str, d: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(decision, message) for each breach of ``rule`` by the (complete) decisions in ``d``."""
    out = []
    posts = _posts_of(d)
    if rule == "R1":
        for name, post in posts:
            if name == "q5_answer":
                if post["speaker"] != "spokesperson":
                    out.append((name, MESSAGES["breach_R1_speaker"].format(name=name, speaker=post["speaker"])))
            elif "spokesperson" not in post["cleared_by"]:
                out.append((name, MESSAGES["breach_R1_post"].format(name=name)))
        if "q4_ostelia" in d and "spokesperson" not in d["q4_ostelia"]["cleared_by"]:
            out.append(("q4_ostelia", MESSAGES["breach_R1_post"].format(name="q4_ostelia")))
    elif rule == "R2":
        if "q1_first_post" in d and d["q1_first_post"]["minutes_after"] > scenario.FIRST_POST_LIMIT:
            out.append(("q1_first_post", MESSAGES["breach_R2_late"].format(
                name="q1_first_post", minutes=d["q1_first_post"]["minutes_after"])))
        for name, post in posts:
            if name != "q6_correction" and gives_figure(post):
                out.append((name, MESSAGES["breach_R2_figure"].format(name=name)))
    elif rule == "R3" and "q2_triage" in d:
        triage = d["q2_triage"]
        if triage["order"] != "priority":
            out.append(("q2_triage", MESSAGES["breach_R3_order"].format(name="q2_triage")))
        recall = _urgent_recall(triage["rules"])
        if recall < scenario.LIFE_SAFETY_RECALL:
            out.append(("q2_triage", MESSAGES["breach_R3_recall"].format(name="q2_triage", recall=recall)))
    elif rule == "R4":
        monitoring = d.get("q3_monitoring")
        if "q2_triage" in d and monitoring is not None:
            queue, monitors = d["q2_triage"]["staff"], monitoring["monitor_staff"]
            if queue + monitors > scenario.STAFF_BUDGET:
                out.append(("q3_monitoring", MESSAGES["breach_R4_budget"].format(
                    name="q3_monitoring", queue=queue, monitors=monitors, total=queue + monitors)))
        if monitoring is not None and "q3_response" in d and monitoring["monitor_staff"] == 0 \
                and "name_accounts" in d["q3_response"]["elements"]:
            out.append(("q3_response", MESSAGES["breach_R4_detector"].format(name="q3_response")))
    elif rule == "R5":
        for name, post in posts:
            if name != "q1_first_post" and ("quote_the_claim" in post["elements"] or quotes_claim(post["text"])):
                out.append((name, MESSAGES["breach_R5_quote"].format(name=name)))
        if "q3_response" in d and d["q3_response"]["elements"][:1] != ["the_fact"]:
            out.append(("q3_response", MESSAGES["breach_R5_lead"].format(name="q3_response")))
    elif rule == "R6":
        for name, post in posts:
            if "legal_adviser" in post["cleared_by"]:
                continue
            what = []
            if "name_accounts" in post["elements"]:
                what.append(MESSAGES["breach_R6_names"])
            if gives_figure(post):
                what.append(MESSAGES["breach_R6_figure"])
            if name == "q6_correction" or "acknowledge_error" in post["elements"]:
                what.append(MESSAGES["breach_R6_correction"])
            if what:
                out.append((name, MESSAGES["breach_R6"].format(name=name, what=MESSAGES["and"].join(what))))
    elif rule == "R7":
        if "q4_ostelia" in d:
            reply = d["q4_ostelia"]
            if "ambassador" not in reply["cleared_by"]:
                out.append(("q4_ostelia", MESSAGES["breach_R7_clear"].format(name="q4_ostelia")))
            for frame in sorted({p["frame"] for p in reply["posts"]} & set(scenario.OFF_LINE_FRAMES)):
                out.append(("q4_ostelia", MESSAGES["breach_R7_frame"].format(name="q4_ostelia", frame=frame)))
        for name, post in posts:
            if "blame_others" in post["elements"]:
                out.append((name, MESSAGES["breach_R7_blame"].format(name=name)))
    elif rule == "R8" and "q4_ostelia" in d:
        reply = d["q4_ostelia"]
        if reply["call_first"] and any(p["timing"] == "at_once" for p in reply["posts"]):
            out.append(("q4_ostelia", MESSAGES["breach_R8"].format(name="q4_ostelia")))
    elif rule == "R9" and "q5_answer" in d:
        answer = d["q5_answer"]
        if answer["minutes_after"] > scenario.JOURNALIST_DEADLINE:
            out.append(("q5_answer", MESSAGES["breach_R9_late"].format(name="q5_answer",
                                                                       minutes=answer["minutes_after"])))
        if "what_is_not_known" not in answer["elements"]:
            out.append(("q5_answer", MESSAGES["breach_R9_unknown"].format(name="q5_answer")))
        if "no_comment" in answer["elements"]:
            out.append(("q5_answer", MESSAGES["breach_R9_no_comment"].format(name="q5_answer")))
    elif rule == "R10" and "q6_correction" in d:
        correction = d["q6_correction"]
        if not correction["issue"]:
            out.append(("q6_correction", MESSAGES["breach_R10_none"].format(name="q6_correction")))
        else:
            if "acknowledge_error" not in correction["elements"]:
                out.append(("q6_correction", MESSAGES["breach_R10_ack"].format(name="q6_correction")))
            if correction["minutes_after"] > scenario.CORRECTION_LIMIT:
                out.append(("q6_correction", MESSAGES["breach_R10_late"].format(
                    name="q6_correction", minutes=correction["minutes_after"])))
            figure = correction["casualty_figure"]
            if figure is not None and figure != scenario.VERIFIED_DEATHS:
                out.append(("q6_correction", MESSAGES["breach_R10_figure"].format(
                    name="q6_correction", figure=figure, verified=scenario.VERIFIED_DEATHS)))
    return out


def breaches(stage: int, decisions: Mapping[str, Any], rule: str | None = None) -> list[Breach]:
    """The rules broken at ``stage`` by ``decisions`` (a mapping of decision names to values, such as the
    notebook's ``globals()``), or only ``rule``'s breaches.

    The stage's own decisions must be complete: one that is not (or missing) is itself reported, under each
    rule asked for, as "not a complete decision". Earlier stages' decisions are used where a rule spans
    stages (the staff budget of R4); a missing or incomplete earlier decision is left out of that rule.
    """
    s = scenario.stage(stage)
    asked = s.rules if rule is None else (rule,)
    for one in asked:
        if one not in RULES:
            raise ValueError(MESSAGES["unknown_rule"].format(rule=one, known=", ".join(RULES)))
    own_ok, problem = complete(decisions, s.decisions)
    if not own_ok:
        name = next(n for n in s.decisions if n not in decisions or form_problems(n, decisions[n]))
        return [Breach(one, stage, name, MESSAGES["malformed"].format(name=name, problem=problem)) for one in asked]
    # this stage's decisions, and the complete ones of earlier stages
    usable = {name: decisions[name] for st in scenario.STAGES if st.number <= stage for name in st.decisions
              if name in decisions and not form_problems(name, decisions[name])}
    mine = {name: usable[name] for name in usable if name in s.decisions}
    found = []
    for one in asked:
        # cross-stage rules read earlier decisions too; the others judge only this stage's decisions
        scope = usable if one in ("R4",) else mine
        found += [Breach(one, stage, name, message) for name, message in _rule_breaches(one, scope)]
    return found


def all_breaches(decisions: Mapping[str, Any]) -> list[Breach]:
    """Every rule broken at every stage whose decisions are complete (stages not decided are left out)."""
    found = []
    for s in scenario.STAGES:
        if s.rules and complete(decisions, s.decisions)[0]:
            found += breaches(s.number, decisions)
    return found
