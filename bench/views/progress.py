from dpdlab.progress import course_exercises, progress_view


def cases(rng):
    notebooks = ["", *dict.fromkeys(e.notebook for e in course_exercises())]

    def progress():
        return progress_view(rng.choice(notebooks))

    return {"progress.progress_view": progress}
