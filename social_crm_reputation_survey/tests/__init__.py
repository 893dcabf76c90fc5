from . import test_survey_comparison
from . import test_settings_tour
from . import test_csat
from . import test_csat_report_tour
