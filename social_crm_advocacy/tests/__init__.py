from . import test_install
from . import test_ledger
from . import test_rules
from . import test_referral
from . import test_mentions
from . import test_tiers
from . import test_redemption
