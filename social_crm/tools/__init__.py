from . import bulk
from . import identity
