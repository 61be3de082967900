from dpdlab.course import dataset_summary
from dpdlab.data import dataset_names


def cases(rng):
    names = dataset_names()

    def browser():
        return dataset_summary(rng.choice(names))

    return {"course.dataset_summary": browser}
