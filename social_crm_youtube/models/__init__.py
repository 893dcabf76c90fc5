from . import social_source
