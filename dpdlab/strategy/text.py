"""Every label, title and sentence module 06 shows a student (one place, for translation)."""
from dpdlab.i18n import messages

STAGE_NAMES = messages(f"{__name__}.STAGE_NAMES", {"audience": "the audience", "online": "use the internet", "on the platform": "use the platform",
               "see the campaign": "see the campaign"})

MESSAGES = messages(__name__, {
    "internet_title": "Individuals using the Internet, 2010 and the latest year in the snapshot",
    "internet_subtitle": "ITU/WDI values via Our World in Data, snapshot file; re-download the current series",
    "internet_description": ("Dot chart of the share of people using the internet in {n} countries and two "
                             "aggregates: in 2010 and in the latest year of the snapshot. The lowest latest value "
                             "is {low_country} ({low:.1f}%), the highest {high_country} ({high:.1f}%)."),
    "internet_title_own": "Individuals using the Internet, {first} and the latest year in the file",
    "internet_subtitle_own": "Series: {series}; {provenance}",
    "internet_description_own": ("Dot chart of the share of people using the internet in {n} countries and "
                                 "{aggregates} aggregates: in {first} and in the latest year of the file. The lowest "
                                 "latest value is {low_country} ({low:.1f}%), the highest {high_country} "
                                 "({high:.1f}%)."),
    "internet_no_year": "The series {series!r} has no values for {year}: choose first_year among its years.",
    "internet_x": "individuals using the Internet (% of population)",
    "internet_first": "2010",
    "internet_latest": "latest year in the file",
    "reach_country": "Country",
    "reach_audience": "Audience (people)",
    "reach_platform": "Internet users on the platform",
    "reach_see": "Platform users who see the campaign",
    "reach_title": "Who a digital-only campaign in {country} can reach",
    "reach_subtitle": "Internet share: {year} snapshot value (sourced); platform and viewing shares: your assumptions",
    "reach_subtitle_own": ("Internet share: {year} value of the series {series} ({provenance}); platform and "
                           "viewing shares: your assumptions"),
    "reach_no_places": "The series {series!r} holds no country (only aggregates).",
    "reach_unknown": "{country!r} has no value in the series {series!r}; countries with one: {known}.",
    "reach_description": ("Bar chart of a campaign funnel in {country}: of {audience:,.0f} people, {online:,.0f} use "
                          "the internet ({pct:.1f}% in {year}), {platform:,.0f} use the platform and {seen:,.0f} see "
                          "the campaign."),
    "reach_x": "people",
    "reach_note": ("Of **{audience:,.0f}** people in {country}, a digital-only campaign reaches about **{seen:,.0f}** "
                   "({share:.1%}). **{offline:,.0f}** do not use the internet at all ({year} value): reaching them "
                   "takes radio, television, the press or partners on the ground."),
    "clearance_steps": "Approval steps",
    "clearance_hours": "Hours per step",
    "clearance_half_life": "Half-life of attention (hours)",
    "clearance_title": "Attention left when the message is cleared: {steps} steps × {hours:g} h",
    "clearance_subtitle": "Model: attention decays with a fixed half-life (module 05); delays are your assumptions",
    "clearance_description": ("Line chart of the share of a wave of attention still to come against the hours of "
                              "delay, for a half-life of {half_life:g} hours. A message cleared after {delay:g} hours "
                              "meets {share:.0%} of it."),
    "clearance_x": "hours from the event to publication",
    "clearance_y": "share of attention still to come",
    "clearance_note": ("Cleared after **{delay:g} hours**, the message meets **{share:.0%}** of the attention the "
                       "event will get; published at once it would meet all of it."),
    "figure": "figure",
    "value": "value",
    "reach_figures": {"online": "use the internet", "platform": "use the platform", "seen": "see the campaign",
                      "offline": "offline"},
    "clearance_figures": {"delay": "hours to publication", "share": "share of attention left"},
})
