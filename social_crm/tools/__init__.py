from . import bulk
from . import identity
from . import items
