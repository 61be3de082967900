"""Seeded models of module 05: hourly attention after a disaster, and a consulate's request stream.

Everything this module produces is **simulated**.

**Attention** (:func:`generate_attention`). Each series rises to a peak and then decays exponentially with a
half-life, with a day–night cycle and log-normal noise on top:
``flow(t) = scale · ramp(t) · 2^(−max(0, t − peak)/half_life) · cycle(t) · noise(t)`` where ``ramp`` grows
linearly from 0 to 1 up to the peak hour. The scale is then set so that the series passes **exactly**
through the published cumulative figures in :data:`CALIBRATION`:

* the three Mexico 2017 hashtags: the impressions La Jornada reported on 21 September 2017, taken as the
  total up to 00:00 that day (hour 35 after 13:00 on 19 September; the report's cut-off time is an
  assumption);
* Haiti 2010 text donations: more than $5 million in about a day (the lower bound is used) and about
  $8 million in three days. The implied half-life (about 19 hours) is the model's half-life; the first day
  and days two and three are each scaled to their figure.

The half-lives and peak hours of the Mexico hashtags are assumptions, not published figures.

**Consular requests** (:func:`generate_requests`). Requests reach a consulate's crisis account after a
strong earthquake in a city where many of its nationals live (a fictional scenario, not any real consulate).
Arrivals follow a surge that decays with a half-life; what people ask shifts from safety and missing persons
in the first hours to documents and information later. Each request's text is built from phrases of its
category, in Spanish, English or Portuguese, and some are deliberately hard to triage by keyword (a
negation, a word used in passing).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

SEED = 20170919  # the 19 September 2017 earthquake in Mexico
HOURS = 240  # ten days of hourly attention

# Published figures the attention series reproduce (source keys refer to data/SOURCES.md).
CALIBRATION = {
    "#Rebsamen": {"crisis": "Mexico 2017", "measure": "impressions", "total": 30_000_000, "by_hour": 35,
                  "note": "about 30 million impressions", "source": "jornada-2017"},
    "#CentroDeAcopio": {"crisis": "Mexico 2017", "measure": "impressions", "total": 18_100_000, "by_hour": 35,
                        "note": "18.1 million impressions", "source": "jornada-2017"},
    "#MéxicoEstáDePie": {"crisis": "Mexico 2017", "measure": "impressions", "total": 8_100_000, "by_hour": 35,
                         "note": "8.1 million impressions", "source": "jornada-2017"},
    "Haiti text donations": {"crisis": "Haiti 2010", "measure": "US dollars", "total": 5_000_000, "by_hour": 24,
                             "total_2": 8_000_000, "by_hour_2": 72,
                             "note": "more than $5 million in about a day (lower bound); about $8 million in three "
                                     "days", "source": "cynical-c-2010;prsocialmedia-2010"},
}

# Assumptions: not published figures.
ASSUMPTIONS = {
    "peak_hour": {"#Rebsamen": 4, "#CentroDeAcopio": 8, "#MéxicoEstáDePie": 14, "Haiti text donations": 0},
    "half_life_hours": {"#Rebsamen": 10.0, "#CentroDeAcopio": 22.0, "#MéxicoEstáDePie": 36.0},
    "night_dip": 0.45,  # flow at 4 a.m. relative to the daily mean, before noise
    "noise_sigma": 0.15,
    "mexico_start_clock_hour": 13,  # hour 0 is 13:00-14:00 on 19 September 2017 (the quake struck at 13:14)
    "haiti_start_clock_hour": 12,  # hour 0 of the appeal, clock time assumed for the day-night cycle
}


def _cycle(hours: np.ndarray, start_clock_hour: int) -> np.ndarray:
    clock = (hours + start_clock_hour) % 24
    dip = ASSUMPTIONS["night_dip"]
    # 1 on average over a day: `dip` at 04:00, highest at 16:00
    return 1 - (1 - dip) * np.cos(2 * np.pi * (clock - 4) / 24)


def decay_shape(hours: np.ndarray, peak_hour: float, half_life_hours: float) -> np.ndarray:
    """Expected flow (up to scale): a linear rise to ``peak_hour``, then exponential decay."""
    hours = np.asarray(hours, dtype=float)
    ramp = np.clip((hours + 1) / (peak_hour + 1), 0, 1)
    return ramp * 0.5 ** (np.clip(hours - peak_hour, 0, None) / half_life_hours)


def _mexico_series(name: str, rng: np.random.Generator) -> np.ndarray:
    hours = np.arange(HOURS)
    a = ASSUMPTIONS
    flow = decay_shape(hours, a["peak_hour"][name], a["half_life_hours"][name])
    flow *= _cycle(hours, a["mexico_start_clock_hour"]) * rng.lognormal(-a["noise_sigma"] ** 2 / 2,
                                                                        a["noise_sigma"], HOURS)
    target = CALIBRATION[name]
    return flow * target["total"] / flow[: target["by_hour"]].sum()


def haiti_half_life_hours() -> float:
    """The half-life implied by the two Haiti figures (see :func:`dpdlab.crises.analysis.implied_half_life`)."""
    from dpdlab.crises.analysis import implied_half_life

    c = CALIBRATION["Haiti text donations"]
    return implied_half_life(c["total"], c["by_hour"], c["total_2"], c["by_hour_2"])


def _haiti_series(rng: np.random.Generator) -> np.ndarray:
    hours = np.arange(HOURS)
    a = ASSUMPTIONS
    c = CALIBRATION["Haiti text donations"]
    flow = decay_shape(hours, a["peak_hour"]["Haiti text donations"], haiti_half_life_hours())
    flow *= _cycle(hours, a["haiti_start_clock_hour"]) * rng.lognormal(-a["noise_sigma"] ** 2 / 2,
                                                                       a["noise_sigma"], HOURS)
    first, second = c["by_hour"], c["by_hour_2"]
    out = flow.copy()
    out[:first] *= c["total"] / flow[:first].sum()
    later = (c["total_2"] - c["total"]) / flow[first:second].sum()
    out[first:] *= later
    return out


def generate_attention(seed: int = SEED) -> pd.DataFrame:
    """The bundled ``crisis_attention_simulated`` table: one row per series and hour."""
    rng = np.random.default_rng(seed)
    frames = []
    for name, target in CALIBRATION.items():
        values = _haiti_series(rng) if name == "Haiti text donations" else _mexico_series(name, rng)
        frames.append(pd.DataFrame({"series": name, "crisis": target["crisis"], "measure": target["measure"],
                                    "hour": np.arange(HOURS), "value": np.round(values, 1), "simulated": True}))
    frame = pd.concat(frames, ignore_index=True)
    return _fix_rounding(frame)


def _fix_rounding(frame: pd.DataFrame) -> pd.DataFrame:
    """Move the rounding error of each calibrated total into its last calibrated hour, so totals are exact."""
    for name, target in CALIBRATION.items():
        for total_key, hour_key in (("total", "by_hour"), ("total_2", "by_hour_2")):
            if total_key not in target:
                continue
            rows = frame.index[(frame["series"] == name) & (frame["hour"] < target[hour_key])]
            error = target[total_key] - frame.loc[rows, "value"].sum()
            frame.loc[rows[-1], "value"] = round(frame.loc[rows[-1], "value"] + error, 1)
    return frame


# --- consular requests -----------------------------------------------------------------------------------

CATEGORIES = {  # category: true priority (1 most urgent)
    "life_safety": 1, "missing_person": 2, "documents": 3, "information": 3, "offer_of_help": 4, "media": 4,
    "noise": 4,
}
SENDERS = {
    "national": "National in the city (simulated)",
    "relative": "Relative at home (simulated)",
    "journalist": "Journalist (simulated)",
    "volunteer": "Local volunteer (simulated)",
    "other": "Unrelated account (simulated)",
}
CHANNELS = ("mention", "direct message", "email", "web form")

REQUEST_ASSUMPTIONS = {
    "requests": 640,
    "hours": 72,
    "arrival_half_life_hours": 9.0,
    "languages": {"es": 0.7, "en": 0.2, "pt": 0.1},
    # share of each category in the first six hours and after 24 hours (linear in between)
    "mix_early": {"life_safety": 0.16, "missing_person": 0.28, "documents": 0.04, "information": 0.22,
                  "offer_of_help": 0.10, "media": 0.08, "noise": 0.12},
    "mix_late": {"life_safety": 0.03, "missing_person": 0.12, "documents": 0.30, "information": 0.30,
                 "offer_of_help": 0.10, "media": 0.05, "noise": 0.10},
    "hard_share": 0.12,  # share of messages written with a misleading or missing keyword
}

_PHRASES = {
    "life_safety": {
        "es": ["Estamos atrapados en el edificio de la calle {n}, ayuda", "Mi hermano está herido y no llega la ambulancia",
               "Urgente: quedamos bajo los escombros, somos {k}", "Hay una persona atrapada en el tercer piso",
               "Necesito ayuda urgente, mi madre está herida", "Huele a gas y no podemos salir del edificio"],
        "en": ["We are trapped in a building on street {n}, please help", "My friend is injured and needs a doctor now",
               "Urgent: people under the rubble, we are {k}", "Someone is trapped on the third floor"],
        "pt": ["Estamos presos no prédio da rua {n}, socorro", "Minha irmã está ferida e precisa de ajuda urgente"],
    },
    "missing_person": {
        "es": ["No sé nada de mi hija desde el sismo, vive en el centro", "Busco a mi padre, no contesta el teléfono",
               "¿Alguien sabe de {k} estudiantes de intercambio?", "Desaparecido: mi esposo trabajaba en la zona",
               "No logro comunicarme con mi familia en la ciudad"],
        "en": ["I can't reach my son since the earthquake", "Looking for my sister, she is missing",
               "Has anyone heard from the exchange students?"],
        "pt": ["Não consigo falar com meu filho desde o terremoto", "Procuro minha mãe, está desaparecida"],
    },
    "documents": {
        "es": ["Perdí mi pasaporte en el edificio, ¿cómo lo repongo?", "Necesito un salvoconducto para volver",
               "Mis documentos quedaron en casa, ¿qué hago para viajar?", "¿Pueden emitir un pasaporte de emergencia?"],
        "en": ["I lost my passport in the collapse, how do I get a new one?", "Do I need an emergency travel document?"],
        "pt": ["Perdi meu passaporte, como faço para voltar?"],
    },
    "information": {
        "es": ["¿Hay vuelos de regreso esta semana?", "¿Dónde hay un albergue seguro?", "¿El consulado abre mañana?",
               "¿Qué zonas están cerradas?", "¿Hay un número para emergencias consulares?", "¿Cuándo reabre el aeropuerto?"],
        "en": ["Are there flights home this week?", "Where is a safe shelter?", "Is the consulate open tomorrow?"],
        "pt": ["Há voos de volta esta semana?", "Onde fica um abrigo seguro?"],
    },
    "offer_of_help": {
        "es": ["Tengo camioneta y puedo llevar víveres", "Ofrezco mi casa para alojar a connacionales",
               "Somos médicos voluntarios, ¿dónde ayudamos?", "Puedo traducir si necesitan"],
        "en": ["I can offer a room for stranded travellers", "Volunteer doctors here, where can we help?"],
        "pt": ["Posso ajudar com transporte"],
    },
    "media": {
        "es": ["Periodista: ¿cuántos connacionales afectados hay?", "¿Puede el cónsul dar una entrevista hoy?"],
        "en": ["Journalist here: how many of your nationals are affected?", "Can we interview the consul?"],
        "pt": ["Jornalista: quantos cidadãos foram afetados?"],
    },
    "noise": {
        "es": ["Qué miedo el temblor de hoy", "Fuerza a todos", "El gobierno no hace nada, como siempre",
               "Todos unidos", "Oren por la ciudad"],
        "en": ["Thoughts with everyone", "Stay strong", "Terrible news today"],
        "pt": ["Força a todos", "Que tristeza"],
    },
}
# Messages that defeat naive keywords: urgent ones without the obvious words, calm ones with them.
_HARD = {
    "life_safety": {"es": ["No podemos salir, la escalera se cayó y mi abuela no camina", "Sigo aquí adentro, sin luz, por favor vengan"],
                    "en": ["We can't get out, the stairs collapsed", "Still inside, no light, please come"],
                    "pt": ["Não conseguimos sair, a escada caiu"]},
    "missing_person": {"es": ["Mi hija no ha vuelto a casa y no contesta", "No aparece mi papá desde ayer"],
                       "en": ["My daughter has not come home and does not answer"],
                       "pt": ["Meu pai não voltou para casa"]},
    "information": {"es": ["¿Es cierto que hay gente atrapada en el aeropuerto? ¿Hay vuelos?",
                           "Mis vecinos ya no están atrapados, gracias. ¿Dónde hay albergue?"],
                    "en": ["Is it true people are trapped at the airport? Any flights?"],
                    "pt": ["É verdade que há gente presa no aeroporto?"]},
    "noise": {"es": ["Estoy atrapado en el tráfico por el sismo, qué desastre", "Urgente: necesitamos más memes de gatos"],
              "en": ["Trapped in traffic because of the quake, ugh"], "pt": ["Preso no trânsito por causa do terremoto"]},
}
_SENDER_BY_CATEGORY = {
    "life_safety": ("national", "relative"), "missing_person": ("relative", "national"),
    "documents": ("national",), "information": ("national", "relative"), "offer_of_help": ("volunteer", "national"),
    "media": ("journalist",), "noise": ("other", "national"),
}
_CHANNEL_WEIGHTS = {"mention": 0.45, "direct message": 0.3, "email": 0.15, "web form": 0.1}


def _arrival_minutes(rng: np.random.Generator, n: int) -> np.ndarray:
    a = REQUEST_ASSUMPTIONS
    minutes = np.arange(a["hours"] * 60)
    rate = 0.5 ** (minutes / (a["arrival_half_life_hours"] * 60))
    rate[:10] *= np.linspace(0.1, 1, 10)  # the first messages take a few minutes to come
    return np.sort(rng.choice(minutes, size=n, p=rate / rate.sum()))


def _mix(minute: float) -> dict[str, float]:
    a = REQUEST_ASSUMPTIONS
    w = float(np.clip((minute / 60 - 6) / 18, 0, 1))
    return {c: (1 - w) * a["mix_early"][c] + w * a["mix_late"][c] for c in CATEGORIES}


def generate_requests(seed: int = SEED) -> pd.DataFrame:
    """The bundled ``consular_requests_simulated`` table: one row per request (see the module doc)."""
    rng = np.random.default_rng(seed)
    a = REQUEST_ASSUMPTIONS
    languages = list(a["languages"])
    language_p = np.array(list(a["languages"].values()))
    channels = list(_CHANNEL_WEIGHTS)
    channel_p = np.array(list(_CHANNEL_WEIGHTS.values()))
    rows = []
    for number, minute in enumerate(_arrival_minutes(rng, a["requests"]), start=1):
        mix = _mix(minute)
        category = str(rng.choice(list(mix), p=np.array(list(mix.values())) / sum(mix.values())))
        language = str(rng.choice(languages, p=language_p))
        pool = _PHRASES[category]
        if category in _HARD and rng.random() < a["hard_share"]:
            pool = _HARD[category]
        text = str(rng.choice(pool.get(language) or pool["es"]))
        text = text.format(n=int(rng.integers(2, 90)), k=int(rng.integers(2, 9)))
        rows.append({"request_id": f"r-{number:04d}", "minute": int(minute),
                     "channel": str(rng.choice(channels, p=channel_p)),
                     "sender": SENDERS[str(rng.choice(_SENDER_BY_CATEGORY[category]))],
                     "language": language, "text": text, "category": category,
                     "priority": CATEGORIES[category], "simulated": True})
    return pd.DataFrame(rows)
