"""The PySide6 desktop interface: the only package that imports Qt.

Views only lay out widgets and hand work to the services in ``cope_desktop.services``; long
work runs through ``ui.tasks``; every text is set in a widget's ``retranslate()`` so that a
language switch takes effect at once.
"""
