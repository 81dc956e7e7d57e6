"""Rasa SDK actions: thin glue between the dialogue and the `bot` package.

One module per concern; the action server (`rasa run actions`) imports every
module of this package.
"""
