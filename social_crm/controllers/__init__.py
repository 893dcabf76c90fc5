from . import social_crm
