"""The kinds of quantitative claim that hl_doses marks; the rules reading claims select them by kind.

Kept apart from the component so that listing and configuring rules never imports spaCy.
"""

KINDS = ("dose", "strength", "frequency", "half-life", "duration", "taper-rate", "max-dose")
