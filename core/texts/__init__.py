"""The texts of each capability, one module per capability (e.g. funnel.py), each calling
``core.base.i18n.add(key, english, chinese)``. core.base.i18n loads every module here."""
