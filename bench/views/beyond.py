from dpdlab import beyond, load_dataset
from dpdlab.beyond.analysis import ALL, KINDS, MEASURES, REGIONS


def cases(rng):
    incidents = load_dataset("trust_incidents")

    def incidents_view():
        first = rng.randint(2010, 2016)
        # the whole range with any filter, or any range with no filter: both always select some incident
        if rng.random() < 0.5:
            return beyond.incident_view(incidents, (2010, 2022), rng.choice([ALL, *KINDS]), ALL)
        return beyond.incident_view(incidents, (first, rng.randint(first + 4, 2022)), ALL,
                                    rng.choice([ALL, *REGIONS]))

    def security():
        return beyond.security_view(**{name: rng.random() < 0.5 for name in MEASURES})

    return {"beyond.incident_view": incidents_view, "beyond.security_view": security}
