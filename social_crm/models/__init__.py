from . import social_profile
from . import social_merge_suggestion
from . import social_identity
from . import res_partner
from . import base_partner_merge_automatic_wizard
