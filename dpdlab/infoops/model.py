"""A seeded model of one week of posts about a (fictional) trade agreement, with a hidden coordinated operation.

Everything this module produces is **simulated**. Accounts carry role labels ("Citizen (simulated)"), never
the names of real people or organisations, and the topic is fictional.

Who posts:

* **Organic accounts** — citizens, activists, journalists, news outlets and a ministry. Citizens post a few
  times a week at times that follow a daily cycle, each post written from many interchangeable phrases, so
  two citizens rarely write the same text. Outlets publish headlines; some citizens share a headline word for
  word within an hour (honest duplication). Activists hold one *tuitazo*: they post within ten minutes of an
  announced time and half of them copy the campaign slogan (honest synchrony and duplication).
* **The operation** — accounts that present themselves as citizens. Most were created within a few days of
  each other (a creation burst); a few are older accounts bought or repurposed. At announced "go" times they
  post one of a few scripts within minutes, with small variations (capitals, punctuation, a link), and they
  mix in ordinary-looking filler posts. How eagerly each account joins the bursts varies.

No published figure is reproduced: the model is illustrative. Its parameters are in :data:`ASSUMPTIONS` and
the datasheets ``data/coordination_accounts_simulated.md`` and ``data/coordination_posts_simulated.md``.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

SEED = 20190131  # the date of the first Latin American disclosure in the course's table (Venezuela)
WINDOW_MINUTES = 7 * 24 * 60  # one week; minute 0 is 00:00 on the window's first day

ROLES = {
    "citizen": "Citizen (simulated)",
    "activist": "Activist (simulated)",
    "journalist": "Journalist (simulated)",
    "outlet": "News outlet (simulated)",
    "ministry": "Ministry (simulated)",
}

ASSUMPTIONS = {
    "citizens": 230,
    "new_citizens": 12,  # organic accounts opened in the 60 days before the window (not in a burst)
    "activists": 20,
    "journalists": 10,
    "outlets": 5,
    "ministries": 1,
    "operation_new": 32,  # operation accounts created in the burst
    "operation_old": 8,  # operation accounts that are older (bought or repurposed)
    "burst_created_days_before": (24, 27),  # creation burst window, days before the window opened
    "citizen_posts_mean": 4.0,  # organic posts per account per week (Poisson mean)
    "activist_posts_mean": 6.0,
    "journalist_posts_mean": 8.0,
    "outlet_headlines": 6,  # headlines per outlet per week
    "headline_sharers_mean": 4.0,  # citizens who copy a headline word for word (Poisson mean)
    "headline_share_delay_minutes": 20.0,  # mean delay of those copies (exponential)
    "tuitazo_minute": 3 * 1440 + 20 * 60,  # day 4, 20:00
    "tuitazo_spread_minutes": 10,
    "tuitazo_copy_share": 0.5,  # activists who post the slogan word for word
    "go_times": 12,  # operation bursts per week
    "go_jitter_minutes": 6,  # operation posts fall within this many minutes after a go time
    "join_probability": (0.25, 0.9),  # each operation account's chance of joining a burst (uniform range)
    "operation_filler_mean": 3.0,  # ordinary-looking posts per operation account (Poisson mean)
    "scripts": 6,
}

# Phrases organic posts are built from (Spanish, with a few English posts by journalists and outlets).
_OPENERS = ["", "Hoy leí que", "Sinceramente,", "No entiendo por qué", "Me parece que", "Ojo:", "Lo que nadie dice:",
            "Pregunta seria:", "Según mi vecino,", "En mi barrio dicen que", "Ayer escuché que", "Para mí",
            "Hay que decirlo:", "Duda:", "Con todo respeto,", "Otra vez", "Al final", "Parece que", "Dato:",
            "Opinión:"]
_SUBJECTS = ["el acuerdo", "la negociación", "el tratado", "la cancillería", "el gobierno", "la oposición",
             "el capítulo agrícola", "la cláusula de servicios", "el texto final", "la consulta pública",
             "la ronda de esta semana", "el equipo negociador"]
_PREDICATES = ["va demasiado rápido", "necesita más debate", "no explica los costos", "podría ayudar a las pymes",
               "deja dudas sobre el empleo", "tiene cosas buenas y malas", "llega tarde", "es mejor que nada",
               "debería publicarse sin recortes", "preocupa a los productores", "abre mercados nuevos",
               "no cambia mucho", "merece una consulta", "tiene letra chica", "favorece a los grandes",
               "protege poco al consumidor", "suena razonable", "genera confusión", "necesita datos", "va bien",
               "se comunica mal", "divide a la región", "genera expectativas", "puede esperar",
               "merece paciencia"]
_CLOSERS = ["", "#AcuerdoComercial", "?", "...", "Veremos.", "Ojalá me equivoque.", "Opinen.", "#Negociación",
            "Así de simple.", "Qué cansancio."]
_SIGNOFFS = ["", "", "", "— desde el norte", "— desde la costa", "— desde la capital", "(hilo)", "(1/2)",
             "#OpinoYo", "— saludos", "— mi opinión", "— un lector", "— vecina preocupada", "— estudiante",
             "— jubilado"]
_EN_OPENERS = ["Reporting:", "Thread:", "Worth reading:", "Update:", "Context:", "Analysis:"]
_EN_BODIES = ["negotiators resume talks on the trade agreement", "the services chapter remains the sticking point",
              "farm groups ask for safeguards in the agreement", "the ministry says a text will be published",
              "opposition asks for a public consultation on the deal", "small firms weigh the agreement's costs",
              "talks extend into a second week", "observers expect a partial deal"]
_HEADLINES = ["ÚLTIMA HORA: se reanuda la negociación del acuerdo comercial",
              "El capítulo agrícola, punto de tensión en la ronda",
              "Cancillería promete publicar el texto del acuerdo",
              "Productores piden salvaguardas en el acuerdo",
              "La oposición reclama una consulta pública sobre el tratado",
              "Pymes evalúan costos y beneficios del acuerdo",
              "La ronda se extiende una semana más",
              "Analistas prevén un acuerdo parcial",
              "El equipo negociador presenta avances",
              "Consulta pública: cómo participar",
              "Servicios: el capítulo que frena el acuerdo",
              "Qué dice el borrador filtrado del acuerdo"]
_MINISTRY = ["Comunicado: la ronda de negociación continúa esta semana. Información en nuestra web.",
             "La cancillería recibe aportes de la consulta pública hasta el viernes.",
             "Nota informativa sobre el estado de la negociación.",
             "Respondemos preguntas frecuentes sobre el acuerdo en nuestra web."]
_SLOGAN = "#AcuerdoJusto: el acuerdo debe proteger a los pequeños productores"
_ACTIVIST_VARIANTS = ["Hoy a las 20 h nos sumamos al #AcuerdoJusto", "Pequeños productores primero. #AcuerdoJusto",
                      "Sin salvaguardas no hay acuerdo justo #AcuerdoJusto",
                      "Estoy en el tuitazo por un #AcuerdoJusto", "Que se escuche a los productores #AcuerdoJusto"]
_SCRIPTS = ["#AcuerdoYa: el acuerdo trae empleo y los críticos mienten",
            "Basta de trabas: el acuerdo es bueno para todos #AcuerdoYa",
            "Los que se oponen al acuerdo defienden privilegios #AcuerdoYa",
            "El pueblo quiere el acuerdo ya. Los opositores no nos representan",
            "#AcuerdoYa porque queremos inversión y trabajo, no excusas",
            "Los medios ocultan que el acuerdo beneficia a la mayoría #AcuerdoYa"]


def _daily_cycle_minutes(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` posting minutes over the week, with more posts in the day and evening than at night."""
    hour_weight = np.array([0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 0.9, 1.2, 1.3, 1.3, 1.3,
                            1.4, 1.3, 1.2, 1.2, 1.2, 1.3, 1.5, 1.7, 1.8, 1.6, 1.1, 0.5])
    weights = np.tile(np.repeat(hour_weight, 60), 7)
    return np.sort(rng.choice(WINDOW_MINUTES, size=n, p=weights / weights.sum()))


def _organic_text(rng: np.random.Generator) -> str:
    parts = [rng.choice(_OPENERS), rng.choice(_SUBJECTS), rng.choice(_PREDICATES)]
    text = " ".join(p for p in parts if p)
    text = text[0].upper() + text[1:]
    tail = " ".join(p for p in (rng.choice(_CLOSERS), rng.choice(_SIGNOFFS)) if p)
    return f"{text}. {tail}".strip() if tail else f"{text}."


def _link(rng: np.random.Generator) -> str:
    return "https://t.co/" + "".join(rng.choice(list("abcdefghijkmnpqrstuvwxyz0123456789"), size=8))


def _vary(script: str, rng: np.random.Generator) -> str:
    """A script as one operation account posts it: same words, small surface changes."""
    text = script
    if rng.random() < 0.3:
        text = text.upper()
    elif rng.random() < 0.3:
        text = text.lower()
    if rng.random() < 0.4:
        text += rng.choice(["!", "!!", "!!!", " .", " 👍"])
    if rng.random() < 0.4:
        text += " " + _link(rng)
    return text


def simulate_week(seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The simulated accounts and posts (see the module docstring). Returns ``(accounts, posts)``."""
    rng = np.random.default_rng(seed)
    a = ASSUMPTIONS
    accounts: list[dict] = []

    def add_accounts(n: int, role: str, created: np.ndarray, followers: np.ndarray, operation: bool) -> list[int]:
        start = len(accounts)
        for i in range(n):
            accounts.append({"role": role, "created_days_before": int(created[i]),
                             "followers": int(followers[i]), "in_operation": operation})
        return list(range(start, start + n))

    def old_ages(n: int) -> np.ndarray:
        return rng.integers(90, 4000, size=n)

    citizens = add_accounts(a["citizens"], "citizen", old_ages(a["citizens"]),
                            rng.lognormal(5.0, 1.2, a["citizens"]).round(), False)
    citizens += add_accounts(a["new_citizens"], "citizen", rng.integers(0, 60, a["new_citizens"]),
                             rng.lognormal(2.5, 1.0, a["new_citizens"]).round(), False)
    activists = add_accounts(a["activists"], "activist", old_ages(a["activists"]),
                             rng.lognormal(6.0, 1.0, a["activists"]).round(), False)
    journalists = add_accounts(a["journalists"], "journalist", old_ages(a["journalists"]),
                               rng.lognormal(8.0, 1.0, a["journalists"]).round(), False)
    outlets = add_accounts(a["outlets"], "outlet", old_ages(a["outlets"]),
                           rng.lognormal(10.5, 0.8, a["outlets"]).round(), False)
    ministry = add_accounts(a["ministries"], "ministry", old_ages(a["ministries"]),
                            rng.lognormal(10.0, 0.3, a["ministries"]).round(), False)
    low, high = a["burst_created_days_before"]
    operation = add_accounts(a["operation_new"], "citizen", rng.integers(low, high + 1, a["operation_new"]),
                             rng.lognormal(3.0, 0.8, a["operation_new"]).round(), True)
    operation += add_accounts(a["operation_old"], "citizen", old_ages(a["operation_old"]),
                              rng.lognormal(4.5, 1.0, a["operation_old"]).round(), True)

    posts: list[tuple[int, int, str, str]] = []  # (account index, minute, language, text)

    def organic(indices: list[int], mean: float, english_share: float = 0.0) -> None:
        for i in indices:
            n = rng.poisson(mean)
            for minute in _daily_cycle_minutes(rng, n):
                if rng.random() < english_share:
                    posts.append((i, int(minute), "en", f"{rng.choice(_EN_OPENERS)} {rng.choice(_EN_BODIES)}"))
                else:
                    posts.append((i, int(minute), "es", _organic_text(rng)))

    organic(citizens, a["citizen_posts_mean"])
    organic(activists, a["activist_posts_mean"])
    organic(journalists, a["journalist_posts_mean"], english_share=0.4)
    for i in ministry:
        for minute in _daily_cycle_minutes(rng, 5):
            posts.append((i, int(minute), "es", str(rng.choice(_MINISTRY)) + " " + _link(rng)))

    # Outlets publish headlines; some citizens copy a headline word for word soon after.
    for i in outlets:
        for minute, headline in zip(_daily_cycle_minutes(rng, a["outlet_headlines"]),
                                    rng.choice(_HEADLINES, size=a["outlet_headlines"], replace=False)):
            link = _link(rng)
            posts.append((i, int(minute), "es", f"{headline} {link}"))
            sharers = rng.choice(citizens, size=min(len(citizens), rng.poisson(a["headline_sharers_mean"])),
                                 replace=False)
            for j in sharers:
                later = int(minute + rng.exponential(a["headline_share_delay_minutes"]))
                if later < WINDOW_MINUTES:
                    posts.append((int(j), later, "es", f"{headline} {link}"))

    # The activists' tuitazo: honest, announced synchrony.
    for i in activists:
        minute = a["tuitazo_minute"] + int(rng.integers(0, a["tuitazo_spread_minutes"]))
        text = _SLOGAN if rng.random() < a["tuitazo_copy_share"] else str(rng.choice(_ACTIVIST_VARIANTS))
        posts.append((i, minute, "es", text))

    # The operation: scripted bursts at go times, plus filler.
    go_times = np.sort(rng.choice(np.arange(8 * 60, WINDOW_MINUTES - 60), size=a["go_times"], replace=False))
    scripts = _SCRIPTS[: a["scripts"]]
    eagerness = rng.uniform(*a["join_probability"], size=len(operation))
    for go in go_times:
        script = str(rng.choice(scripts))
        for i, p in zip(operation, eagerness):
            if rng.random() < p:
                posts.append((i, int(go + rng.integers(0, a["go_jitter_minutes"])), "es", _vary(script, rng)))
    organic(operation, a["operation_filler_mean"])

    return account_and_post_tables(accounts, posts, rng, ROLES, account_id="acct-{:03d}", post_id="p-{:05d}")


def account_and_post_tables(accounts: list[dict], posts: list[tuple], rng: np.random.Generator,
                            roles: Mapping[str, str], account_id: str, post_id: str
                            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The accounts and posts tables of a simulated stream, marked simulated.

    ``accounts`` are dicts with a ``role`` (shown through ``roles``), ``posts`` are ``(account index,
    minute, language, text)``. Accounts are numbered in a shuffled order (``rng``), so that an operation's
    accounts are not numbered together; posts are numbered by minute. ``account_id`` and ``post_id`` are
    format strings for the 1-based numbers."""
    order = rng.permutation(len(accounts))
    ids = {old: account_id.format(new + 1) for new, old in enumerate(order)}
    accounts_frame = pd.DataFrame(accounts)
    accounts_frame.insert(0, "account_id", [ids[i] for i in range(len(accounts))])
    accounts_frame.insert(1, "presents_as", accounts_frame.pop("role").map(roles))
    accounts_frame["simulated"] = True
    accounts_frame = accounts_frame.sort_values("account_id", ignore_index=True)

    posts_frame = pd.DataFrame(posts, columns=["account", "minute", "language", "text"])
    posts_frame["account_id"] = posts_frame.pop("account").map(ids)
    posts_frame = posts_frame.sort_values(["minute", "account_id"], kind="stable", ignore_index=True)
    posts_frame.insert(0, "post_id", [post_id.format(i + 1) for i in range(len(posts_frame))])
    posts_frame["simulated"] = True
    return accounts_frame, posts_frame[["post_id", "account_id", "minute", "language", "text", "simulated"]]


def generate_accounts(seed: int = SEED) -> pd.DataFrame:
    """The bundled ``coordination_accounts_simulated`` table."""
    return simulate_week(seed)[0]


def generate_posts(seed: int = SEED) -> pd.DataFrame:
    """The bundled ``coordination_posts_simulated`` table."""
    return simulate_week(seed)[1]
