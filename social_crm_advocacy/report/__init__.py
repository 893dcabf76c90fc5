from . import social_advocacy_potential
