from dpdlab import simulation as sim


def cases(rng):
    def reply():
        values = [rng.choice([True, False])]
        for _ in range(2):
            values += [rng.choice(sim.TIMING_KEYS), rng.choice(sim.FRAME_KEYS), rng.choice(sim.LANGUAGES)]
        return sim.reply_view(*values)

    return {"simulation.reply_view": reply}
