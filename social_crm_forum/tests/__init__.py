from . import test_forum
from . import test_forum_tour
