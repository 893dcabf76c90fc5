from . import social_stream
