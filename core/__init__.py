"""Domain logic of Cadastre Cleaner: no widgets, no iface.

Checks work on pandas frames and shapely arrays; readers at the edges turn
OGR/QGIS layers and tables into those frames.
"""
