from . import social_mention
from . import product_template
from . import social_source
from . import res_partner
from . import social_reputation_daily
from . import crm_lead
from . import sale_order
from . import social_reputation_alert
