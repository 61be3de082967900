"""Every label, title, sentence and post template the ICJ case shows a student (one place, for translation).

The post templates are teaching text written for the course. They are filled with country names only and are
published as SIMULATED posts of role accounts and publics; none of them is, or paraphrases, what a real person
wrote, and none rejects the Court or its ruling. Which account may post which frame is set in dpdlab.peru.model,
so that no official role account says what its government publicly ruled out.
"""
from dpdlab.i18n import messages

CASE_TITLES = messages(f"{__name__}.CASE_TITLES", {
    "peru_2014": "Peru v. Chile (judgment of 27 January 2014)",
    "bolivia_2018": "Bolivia v. Chile (judgment of 1 October 2018)",
})
CASE_SHORT = messages(f"{__name__}.CASE_SHORT", {"peru_2014": "Peru v. Chile", "bolivia_2018": "Bolivia v. Chile"})

COUNTRY_NAMES = {
    "en": {"Peru": "Peru", "Chile": "Chile", "Bolivia": "Bolivia"},
    "es": {"Peru": "Perú", "Chile": "Chile", "Bolivia": "Bolivia"},
}

# Account labels, per case: role accounts tied to a side, never a real office, its holder or a real handle.
# The applicant's side changes; Chile is the respondent in both cases.
ACCOUNT_LABELS = {
    "peru_2014": {
        "applicant_office": "Role account: government information office, Peru's side (simulated)",
        "applicant_outreach": "Role account: government outreach, Peru's side (simulated)",
        "respondent_office": "Role account: government information office, Chile's side (simulated)",
        "applicant_public": "Peruvian public (simulated)",
        "respondent_public": "Chilean public (simulated)",
        "media": "International media (simulated)",
    },
    "bolivia_2018": {
        "applicant_office": "Role account: government information office, Bolivia's side (simulated)",
        "applicant_outreach": "Role account: government outreach, Bolivia's side (simulated)",
        "respondent_office": "Role account: government information office, Chile's side (simulated)",
        "applicant_public": "Bolivian public (simulated)",
        "respondent_public": "Chilean public (simulated)",
        "media": "International media (simulated)",
    },
}

TIMING_NAMES = messages(f"{__name__}.TIMING_NAMES", {
    "day_before": "the day before",
    "before_reading": "just before the reading",
    "at_reading": "as the Court reads",
    "with_addresses": "with the presidents' addresses (1-1.5 h after)",
    "evening": "that evening",
    "next_day": "the next day",
})
LANGUAGE_NAMES = messages(f"{__name__}.LANGUAGE_NAMES", {"es": "Spanish", "en": "English"})
PLAN_AUDIENCES = messages(f"{__name__}.PLAN_AUDIENCES", {"es": "home and neighbouring publics", "en": "international public"})
TENSION_BANDS = (("low", 35.0), ("moderate", 65.0), ("high", 100.0))

# Template-generated teaching text: TEMPLATES[frame][language][phase] -> list of templates.
# {self} is the posting account's country, {other} the other party.
TEMPLATES = {
    "legal-explanatory": {
        "en": {
            "before": [
                ("How the case works: {self} and {other} presented their arguments; "
                 "the Court will now deliberate and rule."),
                ("Explainer: what the judges are asked to decide in the case between {self} and {other}, "
                 "and under which treaty."),
                "The hearings are public. Follow the legal arguments of both delegations before the Court.",
            ],
            "after": [
                "What the judgment says, point by point: the Court's decision and the votes of the judges.",
                ("Explainer: the ruling is final and binding. "
                 "Next steps under international law for {self} and {other}."),
                "Read the full text of the Court's judgment and a summary of the legal reasoning.",
            ],
        },
        "es": {
            "before": [
                ("Cómo funciona el proceso: {self} y {other} presentaron sus argumentos; "
                 "ahora la Corte delibera y decidirá."),
                "Explicamos qué deben decidir los jueces en el caso entre {self} y {other} y bajo qué tratado.",
                "Los alegatos son públicos. Siga los argumentos jurídicos de ambas delegaciones ante la Corte.",
            ],
            "after": [
                "Qué dice la sentencia, punto por punto: la decisión de la Corte y los votos de los jueces.",
                "Explicamos: el fallo es definitivo y obligatorio. Próximos pasos según el derecho internacional.",
                "Lea el texto completo de la sentencia de la Corte y un resumen del razonamiento jurídico.",
            ],
        },
    },
    "calming": {
        "en": {
            "before": [
                "Whatever the Court decides, life goes on as normal. Calm and patience in the days ahead.",
                "Serenity, please: the relationship between {self} and {other} is much bigger than one ruling.",
                "No reason for alarm. Everything remains normal at the border; trust the process.",
            ],
            "after": [
                "The ruling is out. Calm and serenity: daily life continues as normal.",
                "Stay calm: families, trade and travel between {self} and {other} continue as always.",
                "Patience and prudence now. The ruling will be applied step by step, without haste.",
            ],
        },
        "es": {
            "before": [
                "Sea cual sea la decisión de la Corte, la vida sigue con normalidad. Calma y paciencia.",
                "Serenidad: la relación entre {self} y {other} es mucho más grande que un fallo.",
                "No hay motivo de alarma. Todo sigue con normalidad en la frontera; confianza en el proceso.",
            ],
            "after": [
                "Ya se conoce el fallo. Calma y serenidad: la vida diaria sigue con normalidad.",
                "Tranquilidad: las familias, el comercio y los viajes entre {self} y {other} siguen como siempre.",
                "Paciencia y prudencia. El fallo se aplicará paso a paso, sin apuros.",
            ],
        },
    },
    "triumphalist": {
        "en": {
            "before": [
                "Our arguments were crushing. Victory is coming for {self}!",
                "We have already won this case. Get ready to celebrate!",
                "{other} has no chance before the Court. {self} will win!",
            ],
            "after": [
                "Victory! {self} wins at The Hague. A historic triumph!",
                "We won. Time to celebrate: {other} lost and everyone knows it.",
                "A historic day: the ruling proves we were right all along. Celebrate, {self}!",
            ],
        },
        "es": {
            "before": [
                "Nuestros argumentos fueron contundentes. ¡Se viene la victoria para {self}!",
                "Este caso ya está ganado. ¡Prepárense para celebrar!",
                "{other} no tiene ninguna opción ante la Corte. ¡{self} va a ganar!",
            ],
            "after": [
                "¡Victoria! {self} gana en La Haya. ¡Un triunfo histórico!",
                "Ganamos. A celebrar: {other} perdió y todos lo saben.",
                "Día histórico: el fallo demuestra que teníamos razón. ¡A celebrar, {self}!",
            ],
        },
    },
    "nationalist": {
        "en": {
            "before": [
                "This sea is ours. {self} will never give up its sovereignty.",
                "The homeland comes first. {self} will never give up what is ours.",
                "History made this sea ours, and {self} will never forget it.",
            ],
            "after": [
                "The ruling is read; the sea stays in the memory of the homeland.",
                "{other} has always wanted what is ours. The homeland does not forget.",
                "Dignity first: {self} will never forget what belongs to the homeland.",
            ],
        },
        "es": {
            "before": [
                "Este mar es nuestro. {self} nunca renunciará a su soberanía.",
                "Primero la patria. {self} nunca entregará lo que es nuestro.",
                "La historia hizo nuestro este mar, y {self} nunca lo olvidará.",
            ],
            "after": [
                "Ya se leyó el fallo; el mar sigue en la memoria de la patria.",
                "{other} siempre quiso lo que es nuestro. La patria no olvida.",
                "Primero la dignidad: {self} nunca olvidará lo que pertenece a la patria.",
            ],
        },
    },
    "conciliatory": {
        "en": {
            "before": [
                "{self} and {other} are neighbours and friends. The ruling will not change that.",
                "Whatever the outcome, {self} will keep working together with {other} on trade, culture and security.",
                "Two neighbours who chose a court over conflict. A shared future for {self} and {other}.",
            ],
            "after": [
                "{self} will work together with {other} to implement the ruling as good neighbours.",
                "Today {self} reaches out to {other}: cooperation and friendship come first.",
                "Building bridges: {self} and {other} will keep talking, in good faith.",
            ],
        },
        "es": {
            "before": [
                "{self} y {other} son vecinos y amigos. El fallo no cambiará eso.",
                ("Sea cual sea el resultado, {self} seguirá trabajando junto a {other} "
                 "en comercio, cultura y seguridad."),
                "Dos vecinos que eligieron un tribunal y no el conflicto. Un futuro común para {self} y {other}.",
            ],
            "after": [
                "{self} trabajará junto a {other} para ejecutar el fallo como buenos vecinos.",
                "Hoy {self} tiende la mano a {other}: primero la cooperación y la amistad.",
                "Tendiendo puentes: {self} y {other} seguirán dialogando, de buena fe.",
            ],
        },
    },
}
SIMULATED_PREFIX = "[SIM] "

MESSAGES = messages(__name__, {
    "simulated_subtitle": "SIMULATED posts from the course's seeded model — not real posts or real accounts",
    "model_subtitle": "SIMULATED: the course's what-if model — not a measurement",
    "simulated_axis": "SIMULATED posts",
    "model_axis": "SIMULATED what-if",
    "simulated_rows": "labelled frame (SIMULATED posts)",
    "unknown_case": "Unknown case {case!r}; choose one of: {known}",
    "case_note": ("You are studying **{title}**. The simulated corpus has **{posts}** posts from {start} to {end}; "
                  "judgment day is **{judgment}**. Change `case` in the parameters cell (or run papermill with "
                  "`-p case {other}`) to run the same analysis on the other case."),
    "communication_title": "Statements, campaigns and readings around the two cases",
    "communication_description": ("Dot chart of {n} dated communication events by country, coloured by the course's "
                                  "reading of their effect on tension ({escalating} escalating, {de_escalating} "
                                  "de-escalating). Events without a date are left out."),
    "tone_not_assessed": "not assessed",
    "volume_title": "{case}: simulated posts per day against the Court's calendar",
    "volume_description": ("Bar chart of the SIMULATED number of posts per day from {start} to {end} ({n} posts), "
                           "with dashed lines at the real procedural dates. The busiest day is {peak_day} with "
                           "{peak} posts."),
    "stage_names": {"application": "application", "written_pleading": "written pleading", "hearing": "hearings",
                    "court_notice": "Court's notice", "preliminary_judgment": "preliminary judgment",
                    "judgment": "judgment", "compliance": "compliance", "related_case": "related case"},
    "explorer_dates": "Dates",
    "explorer_frames": "Frames",
    "explorer_title": "Simulated posts per day by frame, {start} to {end}",
    "explorer_description": ("Stacked bar chart of {n} SIMULATED posts per day between {start} and {end}, coloured "
                             "by frame ({frames}). The most common frame in this window is {top}."),
    "explorer_empty": "No simulated posts with the frames {frames} between {start} and {end}; widen the window.",
    "explorer_no_frames": "Choose at least one frame.",
    "explorer_note": "**{n}** simulated posts between {start} and {end}. Most engaged in this window:\n\n{examples}",
    "explorer_example": "- {account}, {date} ({frame}, {engagement:,} interactions): {text}",
    "summary_columns": {"frame": "frame", "posts": "posts", "share": "share of posts",
                        "median_engagement": "median interactions", "mean_tone": "mean tone"},
    "engagement_title": "Interactions and tone by frame and audience, before and after judgment day",
    "engagement_description": ("Grouped bar charts of the SIMULATED posts in each frame, one panel per audience, with "
                               "bars for before and after judgment day: mean interactions (top) and mean tone "
                               "(bottom). {sentences}"),
    "engagement_sentence": "Across all posts the mean {measure} is {before:.2f} before and {after:.2f} after.",
    "measure_names": {"engagement": "interactions (likes + reposts + replies)",
                      "tone": "tone (-1 hostile, +1 friendly)"},
    "measure_axes": {"engagement": "mean interactions", "tone": "mean tone (-1 to +1)"},
    "phase_before": "before",
    "phase_after": "after",
    "comparison_columns": {"case": "case", "official_posts": "official posts",
                           "escalating_before": "escalating frames, before",
                           "escalating_after": "escalating frames, after",
                           "tone_after": "mean tone of official posts, after",
                           "engagement_ratio": "interactions: escalating ÷ other frames"},
    "confusion_rows": "labelled frame",
    "confusion_columns": "predicted frame",
    "score_columns": {"labelled": "posts labelled", "predicted": "posts predicted", "correct": "correct",
                      "precision": "precision", "recall": "recall"},
    "bad_lengths": "labels has {labels} items but predictions has {predictions}; they must match one to one",
    "bad_frame": "{which} item {position} is {value!r}, which is not a frame; frames are: {frames}",
    "plan_timing": "Post {n}: timing",
    "plan_frame": "frame",
    "plan_language": "language",
    "plan_bad_field": "Post {n} has {field} {value!r}; choose one of: {allowed}",
    "plan_empty": "A plan needs at least one post",
    "plan_missing": "Post {n} lacks {field}",
    "plan_title": "Judgment-day plan: reach {reach:,.0f} points, tension {tension:.0f}/100 ({band})",
    "plan_description": ("Bar chart of the SIMULATED reach of the {n} planned posts, coloured by frame, next to the "
                         "tension indicator: {tension:.0f} out of 100 ({band}), where 50 is the judgment-day baseline "
                         "with no posts."),
    "plan_note": ("**Simulated reach:** {reach:,.0f} points. **Tension indicator (simulated):** {tension:.0f}/100 "
                  "(**{band}**). "
                  "{advice} The model and its assumptions are in `data/icj_case_posts_simulated.md`."),
    "band_names": {"low": "low", "moderate": "moderate", "high": "high"},  # the tension bands, as shown
    "plan_advice_high": "In the model, escalating frames at the moments of peak attention push the indicator up.",
    "plan_advice_moderate": ("Between calm and escalation (a day with no posts scores 50). In the model, calming "
                             "posts at the moments of most attention lower the indicator further; triumphalist or "
                             "nationalist ones raise it."),
    "plan_advice_low": ("By the model's weights the plan keeps tension low; check that it still reaches enough "
                        "people."),
    "plan_columns": {"post": "post", "timing": "timing", "frame": "frame", "language": "language",
                     "audience": "audience", "reach": "reach (points)", "tension": "tension contribution"},
    "tension_label": "tension (0-100)",
    "plan_bar": "post {n}: {timing}",
    "bad_measures": "measures must be taken from: {allowed}",
    "axes": {"tone_legend": "tension (course's reading)", "kind": "kind", "posts_per_day": "posts per day (simulated)",
             "frame": "frame", "phase": "judgment day", "audience": "audience"},
    "reach_label": "reach (points, simulated)",
})
