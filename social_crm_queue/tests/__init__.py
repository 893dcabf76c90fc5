from . import test_queue
from . import test_queue_delivery
