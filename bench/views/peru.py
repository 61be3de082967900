from dpdlab import load_dataset, peru


def cases(rng):
    posts = load_dataset("icj_case_posts_simulated")
    by_case = {case: peru.case_posts(posts, case) for case in peru.CASE_IDS}
    post_days = {case: sorted(rows["date"].unique()) for case, rows in by_case.items()}

    def icj_explorer():
        case = rng.choice(peru.CASE_IDS)
        frames = rng.sample(peru.FRAMES, rng.randint(1, len(peru.FRAMES)))
        start, end = sorted(rng.sample(post_days[case], 2))
        try:
            return peru.explore_posts(by_case[case], start, end, frames)
        except ValueError:  # a narrow window without the chosen frames: the widget shows a message
            return None

    def icj_plan():
        values = [rng.choice(options) for _ in range(3) for options in (peru.TIMINGS, peru.FRAMES, ("es", "en"))]
        return peru.judgment_day_plan(*values)

    return {"peru.explore_posts": icj_explorer, "peru.judgment_day_plan": icj_plan}
