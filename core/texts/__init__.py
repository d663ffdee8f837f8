"""The texts of each capability, one catalogue per module (e.g. funnel.py), data only: each builds
``TEXTS`` with ``add(key, english, chinese)``. core.base.i18n lists and merges them."""
