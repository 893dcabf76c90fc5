from . import test_survey_comparison
