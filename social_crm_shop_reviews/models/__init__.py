from . import social_source
from . import social_mention
from . import rating_rating
from . import mail_message
from . import base_partner_merge_automatic_wizard
