from . import identity
