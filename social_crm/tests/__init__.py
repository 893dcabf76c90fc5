from . import test_install
from . import test_identity_normalisation
from . import test_social_profile
from . import test_identity_matching
from . import test_merge_suggestion
