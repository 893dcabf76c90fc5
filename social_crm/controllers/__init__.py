from . import social_crm
from . import social_data
