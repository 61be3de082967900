from dpdlab import load_dataset
from dpdlab.niunamenos import adoption_curve, bass_by_eye


def cases(rng):
    hashtags = load_dataset("niunamenos_hashtag_simulated")
    curves = {c: adoption_curve(hashtags, c) for c in sorted(hashtags["country"].unique())}

    def fit_by_eye():
        country = rng.choice(sorted(curves))
        return bass_by_eye(curves[country], 10 ** rng.uniform(-5, -1), rng.uniform(0, 1),
                           rng.randrange(5_000, 500_001, 5_000), country)

    return {"niunamenos.bass_by_eye": fit_by_eye}
