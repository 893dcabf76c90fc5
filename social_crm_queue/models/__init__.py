from . import social_source
from . import social_mention
from . import social_mention_import_job
