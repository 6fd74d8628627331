# The fixed cast (STYLE.md section 6) and an HR export's reference data, shared with the
# unit tests in govtrain/. `_media_in_tmp` keeps uploads out of ./var,
# `_fresh_cache` cached pages out of the next test.
from govtrain.conftest import (  # noqa: F401 - fixtures
    _fresh_cache,
    _media_in_tmp,
    admin,
    auditor,
    coordinator,
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
