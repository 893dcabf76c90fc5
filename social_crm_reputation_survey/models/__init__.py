from . import res_config_settings
from . import social_mention
from . import res_partner
from . import survey_user_input
