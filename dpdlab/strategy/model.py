"""A seeded model of a mission's twelve-week digital campaign (module 06). Everything it produces is **simulated**.

The scenario is fictional: an embassy (a role label, "Embassy (simulated)") promotes a scholarship programme
in its host country on three channels. Each week, for each channel:

* ``posts`` is drawn around the plan for that channel;
* ``impressions`` = posts × impressions per post (log-normal around the channel's mean);
* ``engagements`` (likes, shares, replies) = impressions × the channel's engagement rate, with noise;
* ``link_clicks`` = impressions × the channel's click rate, with noise;
* ``applications`` (the outcome: applications started through the campaign's tracked link) = clicks ×
  conversion, with noise. Conversion rises in the two weeks before the deadline (weeks 10–11).

One Instagram post goes viral in week 5 (many impressions and engagements, few clicks). The rates are chosen
so that the channel with the best engagement is **not** the one that brings the most applications — the
difference between outtakes and outcomes that the module teaches. They are assumptions, not published
figures: no published campaign data were found for this.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

SEED = 20200818  # the Peruvian academy's 2020 event on training diplomats for the digital era
WEEKS = 12
CHANNELS = ("X", "Facebook", "Instagram")

ASSUMPTIONS = {
    "posts_per_week": {"X": 10, "Facebook": 5, "Instagram": 4},
    "impressions_per_post": {"X": 1_800, "Facebook": 3_000, "Instagram": 5_000},
    "engagement_rate": {"X": 0.012, "Facebook": 0.025, "Instagram": 0.06},
    "click_rate": {"X": 0.010, "Facebook": 0.008, "Instagram": 0.0015},
    "conversion": 0.08,  # share of clicks that start an application
    "deadline_boost": {10: 1.6, 11: 2.0},  # conversion multiplier in the weeks before the deadline
    "viral": {"week": 5, "channel": "Instagram", "impressions_factor": 6.0, "click_factor": 0.3},
    "noise_sigma": 0.2,
}


def generate_campaign(seed: int = SEED) -> pd.DataFrame:
    """The bundled ``campaign_funnel_simulated`` table: one row per week and channel."""
    rng = np.random.default_rng(seed)
    a = ASSUMPTIONS
    sigma = a["noise_sigma"]

    def noisy(value: float) -> float:
        return value * rng.lognormal(-sigma ** 2 / 2, sigma)

    rows = []
    for week in range(1, WEEKS + 1):
        for channel in CHANNELS:
            posts = max(1, int(rng.poisson(a["posts_per_week"][channel])))
            impressions = posts * noisy(a["impressions_per_post"][channel])
            click_rate = a["click_rate"][channel]
            viral = a["viral"]
            if week == viral["week"] and channel == viral["channel"]:
                impressions *= viral["impressions_factor"]
                click_rate *= viral["click_factor"]
            engagements = noisy(impressions * a["engagement_rate"][channel])
            clicks = noisy(impressions * click_rate)
            applications = rng.poisson(clicks * a["conversion"] * a["deadline_boost"].get(week, 1.0))
            rows.append({"week": week, "channel": channel, "posts": posts, "impressions": int(round(impressions)),
                         "engagements": int(round(engagements)), "link_clicks": int(round(clicks)),
                         "applications": int(applications), "simulated": True})
    return pd.DataFrame(rows)
