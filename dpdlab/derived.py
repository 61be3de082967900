"""Real tables derived from open replication data: one function per bundled table.

The course bundles no raw file of these collections, only tables of facts derived from them (see each
table's datasheet). The raw files are the published replication materials, read from a folder outside the
project (``DPDLAB_RAW_DATA``, default ``../shared/data`` beside the project's root), each checked against
the sha256 recorded in :data:`INPUTS` before anything is derived from it, so that a rebuild either gives
the bundled table again or says which input changed.

* ``world-leaders-isq/``: Barberá & Zeitzoff's replication data [barbera-zeitzoff-2018]: the leaders (as of
  1 January 2014) with their personal and institutional Twitter and Facebook accounts, the monthly coding of
  whether each leader was active, and the accounts' audiences by region.
* ``crisislex-guatemala-2012/``: the CrisisLexT26 collection of the Guatemala earthquake of 7 November 2012
  [olteanu-2015]: every tweet's timestamp and crowd labels of 1,050 tweets (no text).

``dpdlab data rebuild`` runs these functions when the inputs are present, and ``dpdlab data check`` compares
the bundled tables with them; without the inputs both say so and use the bundled tables as they are.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd

from dpdlab import paths

LEADERS_SOURCE = "barbera-zeitzoff-2018"
CRISISLEX_SOURCE = "olteanu-2015"

# Every input file, with the sha256 of the version the bundled tables were derived from.
INPUTS = {
    "world-leaders-isq/world-leaders-social-media.csv":
        "3d0efcd5fc105b3d968548f46c1bcbfd0a67d11c61d71335689ba08d28b6034d",
    "world-leaders-isq/data01-leader-adoption.csv":
        "b4570e2461d5802a353623e5b281125788efddca7300198b37f1ef5067c68627",
    "world-leaders-isq/data02-user-profiles.csv":
        "2cf1ceee8dfc0ba34139d22804432e952617a1066e92420921abed6132d8c99b",
    "crisislex-guatemala-2012/2012_Guatemala_earthquake-tweetids_entire_period.csv":
        "fdb5ff0525502c631c8280297724fba3d29dc6e0d249d3fd8f45db91f9fbe57e",
    "crisislex-guatemala-2012/2012_Guatemala_earthquake-labels_no_text.csv":
        "687fb9c30c0e1216ddcecdd911e9b5ecf727e3049e349520fd0647bc174be17d",
}

# The course's Latin America: the twenty republics (ISO 3166 alpha-3), as module 02 and the cases use it.
LATIN_AMERICA = ("ARG", "BOL", "BRA", "CHL", "COL", "CRI", "CUB", "DOM", "ECU", "GTM", "HND", "HTI", "MEX", "NIC",
                 "PAN", "PER", "PRY", "SLV", "URY", "VEN")

# The four account columns of the leaders file: (platform, kind) -> column.
ACCOUNT_COLUMNS = {("Twitter", "personal"): "Twitter_personal", ("Twitter", "institutional"): "Twitter_institution",
                   ("Facebook", "personal"): "Facebook_personal",
                   ("Facebook", "institutional"): "Facebook_institution"}

# Hour 0 of the Guatemala series: 16:00 UTC on 7 November 2012, the hour in which the collection jumps from a
# handful of tweets an hour to hundreds (the tweets caught before it are left out).
GUATEMALA_START = "2012-11-07T16:00:00Z"


class InputError(RuntimeError):
    """An input file is missing or is not the version the bundled tables were derived from."""


def raw_dir() -> Path:
    """Folder holding the raw replication files (``DPDLAB_RAW_DATA``; default ``<root>/../shared/data``)."""
    value = os.environ.get("DPDLAB_RAW_DATA")
    return Path(value).expanduser().resolve() if value else paths.project_root().parent / "shared" / "data"


def inputs_present(folder: Path | None = None) -> bool:
    """Whether every input file of :data:`INPUTS` exists in ``folder`` (default :func:`raw_dir`)."""
    folder = folder or raw_dir()
    return all((folder / name).is_file() for name in INPUTS)


def input_path(name: str, folder: Path | None = None) -> Path:
    """Path of input ``name`` (a key of :data:`INPUTS`), after checking its sha256; raises :class:`InputError`."""
    path = (folder or raw_dir()) / name
    if not path.is_file():
        raise InputError(f"{path} is missing")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != INPUTS[name]:
        raise InputError(f"{path} has sha256 {digest}, not the recorded {INPUTS[name]}")
    return path


def _leaders(folder: Path | None) -> pd.DataFrame:
    frame = pd.read_csv(input_path("world-leaders-isq/world-leaders-social-media.csv", folder), dtype=str,
                        keep_default_na=False, na_values=["NA", ""])
    for column in ("State", "Name", "Type"):
        frame[column] = frame[column].str.strip()
    return frame


def latam_leader_accounts(folder: Path | None = None) -> pd.DataFrame:
    """``latam_leader_accounts_2014``: the leader of each of the twenty Latin American republics on
    1 January 2014 as the replication data list them, with the handle (or page id) of each personal and
    institutional Twitter and Facebook account they record; empty where they record none.

    The office is the file's own title: the list holds heads of government as well as heads of state.
    """
    leaders = _leaders(folder)
    rows = leaders[leaders["iso3c"].isin(LATIN_AMERICA)].sort_values("State")
    table = pd.DataFrame({"iso3c": rows["iso3c"], "country": rows["State"], "leader": rows["Name"],
                          "office": rows["Type"]})
    for (platform, kind), column in ACCOUNT_COLUMNS.items():
        table[f"{platform.lower()}_{kind}"] = rows[column]
    table["source"] = LEADERS_SOURCE
    return table.reset_index(drop=True)


def leader_adoption_monthly(folder: Path | None = None) -> pd.DataFrame:
    """``leader_adoption_monthly``: per month and region (the twenty Latin American republics, the rest of the
    world), how many leaders the authors code as active on social media: with a personal account, an
    institutional one, on Twitter, on Facebook, and on any of them.

    ``leaders`` is how many countries the region has in the file (every month holds every country).
    """
    adoption = pd.read_csv(input_path("world-leaders-isq/data01-leader-adoption.csv", folder))
    adoption["region"] = adoption["iso3c"].isin(LATIN_AMERICA).map({True: "latin_america", False: "rest_of_world"})
    columns = {"active_personal": "leader_active_personal_any",
               "active_institutional": "leader_active_institution_any",
               "active_twitter": "leader_active_tw_any", "active_facebook": "leader_active_fb_any",
               "active_any": "leader_active_any"}
    grouped = adoption.groupby(["month", "region"])
    table = grouped.size().rename("leaders").to_frame()
    for name, column in columns.items():
        table[name] = grouped[column].sum()
    table = table.reset_index()
    table["source"] = LEADERS_SOURCE
    return table


def leader_account_audiences(folder: Path | None = None) -> pd.DataFrame:
    """``leader_account_audiences``: one row per leader's account with its audience as the replication data
    record it (followers on Twitter, likes on Facebook), the authors' region, and which leader's personal or
    institutional account it is (matched by account id to the leaders file).

    The profiles file repeats six Facebook rows exactly; each is kept once. The one account with no audience
    recorded is left out.
    """
    leaders = _leaders(folder)
    profiles = pd.read_csv(input_path("world-leaders-isq/data02-user-profiles.csv", folder), dtype={"merge": str})
    profiles = profiles.drop_duplicates().dropna(subset=["audience"]).rename(columns={"platform": "measured"})
    if profiles["merge"].duplicated().any():
        raise InputError("an account id has two different audiences in the profiles file")
    accounts = []
    for (platform, kind), column in ACCOUNT_COLUMNS.items():
        part = leaders[["iso3c", "State", column, column + "_id"]].dropna(subset=[column + "_id"])
        accounts.append(pd.DataFrame({"account_id": part[column + "_id"], "iso3c": part["iso3c"],
                                      "country": part["State"], "platform": platform, "kind": kind,
                                      "handle": part[column]}))
    accounts = pd.concat(accounts, ignore_index=True)
    table = profiles.merge(accounts, left_on="merge", right_on="account_id", how="left", validate="one_to_one")
    if table["iso3c"].isna().any():
        raise InputError("an account of the profiles file is not in the leaders file")
    if (table["measured"].str.contains("Twitter") != (table["platform"] == "Twitter")).any():
        raise InputError("an account's platform in the profiles file differs from the leaders file's")
    table["latin_america"] = table["iso3c"].isin(LATIN_AMERICA)
    table["audience"] = table["audience"].astype(int)
    table["source"] = LEADERS_SOURCE
    columns = ["account_id", "iso3c", "country", "region", "latin_america", "platform", "kind", "handle",
               "audience", "source"]
    return table[columns].sort_values(["platform", "iso3c", "kind"]).reset_index(drop=True)


def _tweet_times(folder: Path | None) -> pd.Series:
    tweets = pd.read_csv(input_path("crisislex-guatemala-2012/2012_Guatemala_earthquake-tweetids_entire_period.csv",
                                    folder), dtype=str, skipinitialspace=True)
    tweets.columns = [c.strip() for c in tweets.columns]
    kept = tweets[tweets["Included(Y/N)"].str.strip() == "Y"]  # the keyword collection's tweets
    return pd.to_datetime(kept["Timestamp"], format="%a %b %d %H:%M:%S %z %Y")


def guatemala_tweets_per_hour(folder: Path | None = None) -> pd.DataFrame:
    """``crisis_attention_guatemala_2012``: tweets per hour that the CrisisLexT26 keyword collection caught
    around the Guatemala earthquake of 7 November 2012, from :data:`GUATEMALA_START` (hour 0) to the last
    tweet's hour, **hours with no tweet kept as 0** (:func:`dpdlab.data.count_per_hour`). The tweets marked
    not included (``N``) and those caught before hour 0 are left out. Same columns as the course's simulated
    attention series, plus ``source``.
    """
    from dpdlab.data import count_per_hour

    counts = count_per_hour(_tweet_times(folder), start=pd.Timestamp(GUATEMALA_START))
    counts["value"] = counts["value"].astype(int)
    return pd.DataFrame({"series": "tweets caught by the keywords", "crisis": "Guatemala 2012",
                         "measure": "tweets", "hour": counts["hour"], "value": counts["value"],
                         "source": CRISISLEX_SOURCE})


def guatemala_tweet_labels(folder: Path | None = None) -> pd.DataFrame:
    """``crisis_tweet_labels_guatemala_2012``: how many of the 1,050 crowd-labelled tweets fall in each
    combination of informativeness, information type and information source (CrisisLexT26's labels, as
    given; no tweet text)."""
    labels = pd.read_csv(input_path("crisislex-guatemala-2012/2012_Guatemala_earthquake-labels_no_text.csv", folder),
                         dtype=str)
    counts = (labels.groupby(["Informativeness", "Information Type", "Information Source"]).size()
              .rename("tweets").reset_index())
    counts.columns = ["informativeness", "information_type", "information_source", "tweets"]
    counts["source"] = CRISISLEX_SOURCE
    return counts.sort_values(["informativeness", "information_type", "information_source"]).reset_index(drop=True)
