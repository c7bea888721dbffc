"""The book's figures and widgets (matplotlib, ipywidgets) on top of the NumPy core."""
