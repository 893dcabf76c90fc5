from . import test_install
from . import test_lib_sentiment
from . import test_lib_stats
