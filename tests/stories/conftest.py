# The fixed cast (STYLE.md section 6), shared with the unit tests.
from govtrain.conftest import (  # noqa: F401 - fixtures
    _media_in_tmp,
    admin,
    auditor,
    department_a,
    department_b,
    hr_system,
    learner_a,
    learner_b,
    office_a,
    office_b,
    officer_a,
    officer_b,
    references,
)
