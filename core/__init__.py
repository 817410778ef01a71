"""Domain logic of Cadastre Cleaner: no widgets, no iface.

Checks work on pandas frames and shapely arrays; readers at the edges turn
OGR/QGIS layers and tables into those frames. The wings: loading, register,
topology, fixes, codes, flags, reference, sample (each __init__ says what it holds).
"""
