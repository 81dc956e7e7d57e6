"""Safeguarding guidance assistant: the project's own code.

Pure Python (no Rasa imports outside `bot.rasa_components`): the policy
catalogue, the school profile, reply composition, input checks, the spaCy
pipeline build and the command line (`python -m bot`).
"""
