"""Every label, title and sentence the Ni Una Menos case shows a student (one place, for translation)."""
from dpdlab.i18n import messages

# Kinds of policy step that count as a formal response (a register, a plan, a bill, a law, a foreign policy),
# as opposed to a statement or taking part in a march.
FORMAL_KINDS = ("register", "national_plan", "bill", "law", "foreign_policy")

KIND_NAMES = messages(f"{__name__}.KIND_NAMES", {
    "convention": "convention", "protocol": "protocol", "monitoring_mechanism": "monitoring mechanism",
    "law": "law", "register": "register", "register_report": "register report", "national_plan": "national plan",
    "bill": "bill", "statement": "statement", "participation": "joins a march", "foreign_policy": "foreign policy",
})

MESSAGES = messages(__name__, {
    "simulated_subtitle": "SIMULATED hashtag activity from the course's diffusion model — not real posts",
    "simulated_axis": "SIMULATED hashtag data",
    "model_axis": "SIMULATED model waves",
    "facts_subtitle": "Reported facts; sources in data/SOURCES.md",
    "adoption_title": "Simulated accounts that have used #NiUnaMenos, by country",
    "adoption_description": ("Line chart of the SIMULATED running total of accounts that have posted #NiUnaMenos, "
                             "one line per country, {start} to {end}. Each step up is a wave of new accounts "
                             "around a march; the largest total is {top_country}'s ({top:,} accounts)."),
    "adopters_axis": "accounts that have used the hashtag (simulated)",
    "activity_title": "Simulated daily #NiUnaMenos posts in {country}",
    "activity_description": ("Line chart of the SIMULATED daily posts with #NiUnaMenos in {country}, {start} to "
                             "{end}, with a dashed line on each of its {n} march days. The busiest day is {peak} "
                             "({posts:,} posts)."),
    "posts_axis": "posts per day (simulated)",
    "timing_title": "How long after the first march each country marched, and first responded",
    "timing_description": ("Dot chart, one row per country: days from the first march (3 June 2015) to the "
                           "country's first march in the sources (filled circles) and to its first formal "
                           "policy response (squares), where the table has one. {marched} countries marched; "
                           "{responded} have a dated formal response."),
    "timing_first_march": "first march",
    "timing_first_response": "first formal response",
    "timing_axis": "days after the first march (3 June 2015)",
    "fit_title": "{country}: the first wave and a Bass curve (p = {p:.5f}, q = {q:.3f}, m = {m:,.0f})",
    "fit_description": ("Chart of the SIMULATED running total of accounts in {country} during the first {days} "
                        "days of its first wave (dots) and the Bass curve with the chosen parameters (line). "
                        "Root-mean-square error: {rmse:,.0f} accounts; R squared: {r2:.3f}."),
    "fit_observed": "simulated adopters",
    "fit_model": "Bass curve",
    "fit_axis_t": "days since the first account in the country used the hashtag",
    "fit_note": ("Against the simulated wave: error (RMSE) **{rmse:,.0f}** accounts, R² **{r2:.3f}**. New "
                 "adoptions of this curve peak on day {peak:.0f}."),
    "fit_figures": {"rmse": "root-mean-square error (accounts)", "r2": "R squared", "peak_day": "peak day of the curve",
                    "last_observed": "adopters on the last day (simulated)"},
    "widget_country": "Country",
    "widget_p": "innovation p",
    "widget_q": "imitation q",
    "widget_m": "potential adopters m",
    "network_title": "Who followed whom: each country linked to the one it most plausibly followed",
    "network_description": ("Chart of the movement's diffusion network over time: a dot for each country's first "
                            "march and a line from the country it followed under the rule '{rule}'. {n} links; "
                            "{origin} is the origin."),
    "network_subtitle": "Dates are reported facts; the links come from the course's rule, which is an assumption",
    "network_via": {"neighbour": "followed a neighbour", "origin": "followed the origin"},
    "crowd_title": "Crowd estimates differ with who counts",
    "crowd_description": ("Range chart of {n} reported crowd estimates for {marches} marches, one row per "
                          "estimate, coloured by the kind of estimator, on a logarithmic scale. An open "
                          "right end ('more than') is drawn as a dot only."),
    "crowd_axis": "people (logarithmic scale)",
    "online_title": "Simulated posts on the march day against reported crowds",
    "online_description": ("Chart of each numeric crowd estimate (horizontal range) against the SIMULATED "
                           "#NiUnaMenos posts in that country on the march day. The posts are simulated, so "
                           "the chart shows the method, not evidence that the hashtag predicts the crowd."),
    "online_columns": {"estimate_id": "estimate", "country": "country", "date": "march day",
                       "area": "where counted", "estimator_kind": "estimator",
                       "posts": "posts that day (simulated)", "crowd_low": "crowd (low)", "crowd_high": "crowd (high)",
                       "posts_per_person_low": "posts per person (low)",
                       "posts_per_person_high": "posts per person (high)"},
    "policy_title": "Policy steps and instruments, {start} to {end}",
    "policy_description": ("Dot chart of {n} dated policy steps, one row per jurisdiction, coloured by kind. "
                           "Hollow dots have an approximate, disputed, month or year date."),
    "register_title": "Victims of femicide in Argentina's national register, by year",
    "register_description": ("Bar chart of the victims of femicide the Supreme Court's register counts per year: "
                             "{pairs}. Aggregate counts only."),
    "register_axis": "victims of femicide",
    "register_title_own": "Victims of femicide per year in the register",
    "register_description_own": "Bar chart of the victims of femicide the register counts per year: {pairs}.",
    "own_subtitle": "{source}",
    "report_unknown": "No data for country {country!r}; choose one of: {known}",
    "report_note": ("### Country report: {country}\n\n"
                    "- **First march in the sources:** {first_march} ({days_march} days after the first march "
                    "in Buenos Aires); {n_marches} march day(s) in the events table.\n"
                    "- **Reported crowds:** {crowds}.\n"
                    "- **First formal policy response in the table:** {response}.\n"
                    "- **Diffusion network:** follows {leaders}; bridge score (directed betweenness) {bridge:g}.\n"
                    "- **Bass fit of the first wave (SIMULATED data):** p = {p:.5f}, q = {q:.3f}, "
                    "m = {m:,.0f} accounts."),
    "report_no_crowds": "none with a number in the table",
    "report_crowd": "{wording} ({area}; {estimator})",
    "report_no_response": "none dated in the table",
    "report_response": "{instrument} ({kind}), {date} — {days} days after the first march",
    "report_none": "no one (it is the origin)",
    "report_figures": {"figure": "figure", "value": "value"},
    "report_figure_names": {"first_march": "first march", "days_march": "days after 3 June 2015",
                            "marches": "march days", "p": "Bass p (simulated)", "q": "Bass q (simulated)",
                            "m": "Bass m (simulated)", "bridge": "bridge score"},
})

# bass_checks: when the fitted market size stops at its bound
BASS_NOTES = messages(f"{__name__}.BASS_NOTES", {
    "bound_share": ("The fitted market size stopped at its bound, m = {m:.3g} ({scale}): everyone. Shares cannot "
                    "pass the whole population, and the data have not yet bent towards a plateau, so they do not "
                    "tell where the curve will level off; read p and q with care."),
    "bound_counts": ("The fitted market size stopped at its bound, m = {bound:,.4g} (20 times the last value, or "
                     "the ceiling given): the wave has not yet slowed, so the data do not tell how large it will "
                     "grow; read p and q with care."),
})
