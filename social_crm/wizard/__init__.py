from . import social_mention_reply
from . import social_mention_take_private
from . import social_mention_import
from . import social_mention_reply_reject
